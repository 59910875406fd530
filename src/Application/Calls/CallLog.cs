using BindingService.Application.Bindings;
using System.Globalization;
using System.Text;
using BindingService.Application.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Application.Calls;

/// <summary>A call as the call log shows it (masked numbers only).</summary>
/// <param name="Status">inProgress (no call record yet), connected, notConnected or unbound (no binding of ours was in effect).</param>
public sealed record CallView(
    string CallId,
    Guid? BindingId,
    string? BusinessLine,
    string? OrderId,
    string Direction,
    string? CallerMasked,
    string? CalleeMasked,
    string? SecretNo,
    DateTimeOffset? CallTime,
    DateTimeOffset? AnsweredAt,
    DateTimeOffset? EndedAt,
    int DurationSeconds,
    string Status,
    string? NotConnectedReason,
    string? UnboundReason,
    string? ReleaseDirection,
    int? ReleaseCause,
    bool Recording,
    bool Transcript)
{
    public static CallView From(CallRecord c)
    {
        ArgumentNullException.ThrowIfNull(c);
        var status = c.UnboundReason is not null ? "unbound" : c.Connected switch { null => "inProgress", true => "connected", false => "notConnected" };
        return new(c.CallId, c.BindingId, c.BusinessLine, c.OrderId, c.Direction, c.CallerMasked, c.CalleeMasked, c.SecretNo, c.CallTime, c.AnsweredAt,
            c.EndedAt, c.DurationSeconds, status, c.NotConnectedReason, c.UnboundReason, c.ReleaseDirectionName, c.ReleaseCause, c.HasRecording, c.Transcript is not null);
    }
}

/// <summary>One page of calls, newest first; <see cref="NextCursor"/> asks for the next page (null on the last one).</summary>
public sealed record CallPage(IReadOnlyList<CallView> Items, string? NextCursor);

/// <summary>A short-lived download URL of a call's recording.</summary>
public sealed record RecordingView(string CallId, string Url, DateTimeOffset ExpiresAt);

/// <summary>A call's transcript: channel 0 is the caller, 1 the called party; offsets in ms.</summary>
public sealed record TranscriptView(string CallId, long DurationMs, IReadOnlyList<TranscriptSentence> Sentences);

/// <summary>
/// The call log per caller (docs/api.md, 'Calls'): a caller sees the calls of its own orders and bindings only; any
/// other call or order is not found. Lists are paged by an opaque cursor.
/// </summary>
public sealed class CallLogQueries(ICallLog log, ICallMedia media, TimeProvider clock, IOptions<ReceiptOptions> options)
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 200;

    public async Task<Result<CallPage>> ForOrderAsync(string callerId, string businessLine, string orderId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!await log.OrderExistsAsync(callerId, businessLine, orderId, cancellationToken))
        {
            return BindingErrors.OrderNotFound; // the same answer as the order's own endpoints
        }

        return await PageAsync(new CallFilter(callerId, businessLine, orderId), limit, cursor, cancellationToken);
    }

    public async Task<Result<CallPage>> ForBindingAsync(string callerId, string bindingId, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (!Guid.TryParse(bindingId, out var id) || !await log.BindingExistsAsync(callerId, id, cancellationToken))
        {
            return BindingErrors.BindingNotFound;
        }

        return await PageAsync(new CallFilter(callerId, BindingId: id), limit, cursor, cancellationToken);
    }

    /// <summary>The recording's URL: the cached one while it has more than a minute left, else a fresh one from the provider.</summary>
    public async Task<Result<RecordingView>> RecordingAsync(string callerId, string callId, CancellationToken cancellationToken)
    {
        if (await log.FindAsync(callerId, callId, cancellationToken) is not { } call)
        {
            return CallErrors.CallNotFound;
        }

        if (!call.HasRecording)
        {
            return CallErrors.NoRecording;
        }

        var now = clock.GetUtcNow();
        if (call.CallTime is { } time && time + options.Value.RecordingRetention <= now)
        {
            return CallErrors.RecordingExpired;
        }

        if (call.RecordingUrl is { } cached && call.RecordingUrlExpiresAt is { } until && until - TimeSpan.FromMinutes(1) > now)
        {
            return new RecordingView(call.CallId, cached, until);
        }

        var fresh = await media.RecordingUrlAsync(call, cancellationToken);
        if (fresh.Error is { } error)
        {
            return error;
        }

        (call.RecordingUrl, call.RecordingUrlExpiresAt) = fresh.Value;
        call.UpdatedAt = now;
        await log.SaveAsync(cancellationToken);
        return new RecordingView(call.CallId, fresh.Value.Url, fresh.Value.ExpiresAt);
    }

    /// <summary>The transcript from the ASR receipt; without one, from the provider (kept once found).</summary>
    public async Task<Result<TranscriptView>> TranscriptAsync(string callerId, string callId, CancellationToken cancellationToken)
    {
        if (await log.FindAsync(callerId, callId, cancellationToken) is not { } call)
        {
            return CallErrors.CallNotFound;
        }

        if (call.Transcript is null)
        {
            if (call.Connected != true)
            {
                return CallErrors.NoTranscript;
            }

            var fetched = await media.TranscriptAsync(call, cancellationToken);
            if (fetched.Error is { } error)
            {
                return error;
            }

            if (fetched.Value is not { } found)
            {
                return CallErrors.NoTranscript;
            }

            call.SetTranscript(found.Sentences, found.DurationMs);
            call.UpdatedAt = clock.GetUtcNow();
            await log.SaveAsync(cancellationToken);
        }

        return new TranscriptView(call.CallId, call.TranscriptDurationMs ?? 0, call.ReadTranscript());
    }

    private async Task<Result<CallPage>> PageAsync(CallFilter filter, int? limit, string? cursor, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxLimit)
        {
            return CallErrors.InvalidPage("limit", $"limit must be 1 to {MaxLimit}.");
        }

        CallCursor? after = null;
        if (!string.IsNullOrEmpty(cursor) && !TryDecode(cursor, out after))
        {
            return CallErrors.InvalidPage("cursor", "cursor is not one this API returned.");
        }

        var take = limit ?? DefaultLimit;
        var rows = await log.PageAsync(filter, after, take + 1, cancellationToken);
        var items = rows.Take(take).Select(CallView.From).ToList();
        var next = rows.Count > take ? Encode(rows[take - 1]) : null;
        return new CallPage(items, next);
    }

    private static string Encode(CallRecord last) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{(last.CallTime ?? DateTimeOffset.MinValue).UtcTicks}:{last.CallId}")))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static bool TryDecode(string cursor, out CallCursor? decoded)
    {
        decoded = null;
        try
        {
            var base64 = cursor.Replace('-', '+').Replace('_', '/');
            base64 = base64.PadRight(base64.Length + ((4 - (base64.Length % 4)) % 4), '=');
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(base64));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0 || !long.TryParse(text[..colon], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
                || ticks < DateTimeOffset.MinValue.UtcTicks || ticks > DateTimeOffset.MaxValue.UtcTicks || colon == text.Length - 1)
            {
                return false;
            }

            decoded = new CallCursor(new DateTimeOffset(ticks, TimeSpan.Zero), text[(colon + 1)..]);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
