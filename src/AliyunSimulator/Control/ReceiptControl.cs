using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Receipts;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only control of the receipt push (docs/simulator.md, 'Receipts'): <c>GET /_sim/receipts</c> lists what was
/// pushed and what was acknowledged; <c>PUT /_sim/receipts/settings</c> replaces the push settings (URL, retry delays,
/// timeout, duplicates, reordering, delay); <c>DELETE /_sim/receipts</c> forgets the list.
/// </summary>
public static class ReceiptControl
{
    public static RouteGroupBuilder MapReceiptControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/receipts", ListPushes);
        group.MapPut("/receipts/settings", ChangeSettings);
        group.MapDelete("/receipts", ClearPushes);
        return group;
    }

    public static IResult ListPushes(ReceiptPusher pusher)
    {
        ArgumentNullException.ThrowIfNull(pusher);
        return TypedResults.Ok(new ReceiptPushes(pusher.Settings, pusher.Pending, pusher.Pushes));
    }

    public static IResult ChangeSettings(ReceiptPushOptions settings, ReceiptPusher pusher)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pusher);
        if (settings.TimeoutMs < 1 || settings.DelayMs < 0 || settings.RetryDelaysMs.Any(d => d < 0)
            || (!string.IsNullOrEmpty(settings.Url) && !Uri.TryCreate(settings.Url.Replace("{type}", "t", StringComparison.Ordinal), UriKind.Absolute, out _)))
        {
            return TypedResults.BadRequest(new ControlError("url must be absolute; timeoutMs at least 1; delayMs and retryDelaysMs not negative."));
        }

        pusher.Configure(settings);
        return TypedResults.Ok(pusher.Settings);
    }

    public static IResult ClearPushes(ReceiptPusher pusher)
    {
        ArgumentNullException.ThrowIfNull(pusher);
        pusher.Clear();
        return TypedResults.NoContent();
    }
}

/// <summary>The push settings in force, how many batches are still queued or retrying, and every push so far.</summary>
public sealed record ReceiptPushes(ReceiptPushOptions Settings, int Pending, IReadOnlyList<PushRecord> Pushes);
