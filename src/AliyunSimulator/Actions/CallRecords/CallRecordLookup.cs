using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.CallRecords;

/// <summary>
/// Finds the call a recording or ASR action names (docs/provider-rules.md R-REC-2..4): <c>CallId</c> and its <c>CallTime</c> (China
/// <c>yyyy-MM-dd HH:mm:ss</c>, equal to the second), in the pool given. Anything that does not match is
/// <c>isv.ILLEGAL_ARGUMENT</c> [sim: the code is undocumented].
/// </summary>
public sealed record CallRecordLookup(string CallId, DateTimeOffset CallTime)
{
    public static BusinessError? TryRead(ActionRequest request, ChinaClock clock, out CallRecordLookup lookup)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        lookup = null!;
        if (!clock.TryParseBusinessTime(request.Required("CallTime"), out var callTime))
        {
            return BusinessError.InvalidParameters("CallTime must be yyyy-MM-dd HH:mm:ss (China time).");
        }

        lookup = new CallRecordLookup(request.Required("CallId"), callTime);
        return null;
    }

    /// <summary>The call when it is in a pool <paramref name="inPool"/> accepts. Runs inside the store transaction.</summary>
    public BusinessError? TryFind(SimulatorState state, Func<string, bool> inPool, out CallRecord call)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(inPool);
        call = null!;
        if (state.FindCall(CallId) is not { } found || found.CallTime != CallTime || !inPool(found.PoolKey))
        {
            return NumberErrors.CallNotFound();
        }

        call = found;
        return null;
    }

    /// <summary>Recordings are kept for <paramref name="retentionDays"/> days from the call (R-REC-2): older ones are <c>isv.FORBIDDEN_ACTION</c> [sim].</summary>
    public static BusinessError? CheckRetention(CallRecord call, int retentionDays, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        return now - call.CallTime > TimeSpan.FromDays(retentionDays)
            ? BusinessError.ForbiddenAction($"recordings are kept for {retentionDays} days after the call; this one is gone.")
            : null;
    }
}
