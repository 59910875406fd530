using BindingService.Application.Abstractions;
using BindingService.Application.Common;

namespace BindingService.Application.RideOrders.SetRideRecording;

/// <summary>Turn call recording of a ride order's protection on or off (UpdateSubscription updateIsRecordingEnabled).</summary>
public sealed record SetRideRecording(string CallerId, string OrderId, bool? Enabled);

public sealed class SetRideRecordingHandler(RideProtectionChanger changer)
{
    public Task<Result<RideProtection>> HandleAsync(SetRideRecording request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Enabled is not { } enabled)
        {
            var errors = new ValidationErrors();
            errors.Add("enabled", "Required: true to record the calls from now on, false to stop.");
            return Task.FromResult<Result<RideProtection>>(errors.ToError());
        }

        return changer.ChangeAsync(request.CallerId, request.OrderId, "set recording", (binding, _) =>
            enabled == binding.RecordingEnabled
                ? RideChangePlan.Unchanged
                : RideChangePlan.Change(
                    new SubscriptionUpdate.ChangeRecording(new SubscriptionRef(binding.PoolKey, binding.SubsId!, binding.SecretNo!), enabled),
                    (b, now) => b.SetRecording(enabled, now)),
            cancellationToken);
    }
}
