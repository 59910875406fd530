using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Faults;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only control endpoints for throttling and fault injection at run time. They are never subject to faults
/// themselves: only the API at <c>/</c> is.
/// </summary>
public static class FaultControl
{
    public static RouteGroupBuilder MapFaultControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/faults", GetFaults);
        group.MapPut("/faults", PutFaults);
        group.MapDelete("/faults", DeleteFaults);
        return group;
    }

    /// <summary>The throttling and fault settings in force, the seed, and the injected faults so far per action and kind.</summary>
    public static IResult GetFaults(FaultInjector faults) => TypedResults.Ok(faults.Status());

    /// <summary>
    /// Replaces the parts given (<c>throttling</c>, <c>faults</c>; a part left out stays as it is) and answers the new
    /// status. New fault settings restart the seed, so the same calls meet the same faults again. 400 on invalid settings.
    /// </summary>
    public static IResult PutFaults(FaultSettingsChange change, FaultInjector faults, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(change);
        var failures = FaultOptionsValidator.Check(change.Throttling, "throttling").Concat(FaultOptionsValidator.Check(change.Faults, "faults")).ToList();
        if (failures.Count > 0)
        {
            return TypedResults.BadRequest(new ControlError(string.Join(" ", failures)));
        }

        faults.Configure(change.Throttling, change.Faults);
        var status = faults.Status();
        FaultLog.SettingsChanged(loggerFactory.CreateLogger(FaultInjector.LoggerCategory), status.Throttling.Enabled, IsActive(status.Faults));
        return TypedResults.Ok(status);
    }

    /// <summary>Throttling off, no faults, counters at zero.</summary>
    public static IResult DeleteFaults(FaultInjector faults, ILoggerFactory loggerFactory)
    {
        faults.Clear();
        FaultLog.SettingsChanged(loggerFactory.CreateLogger(FaultInjector.LoggerCategory), throttlingEnabled: false, faultsActive: false);
        return TypedResults.NoContent();
    }

    private static bool IsActive(FaultOptions f) =>
        f.ErrorRates.Values.Any(r => r > 0) || f.LatencyMs > 0 || f.LatencyJitterMs > 0 || f.AnswerDelayMs > 0 || f.Timeout.Rate > 0 || f.Drop.Rate > 0;
}

/// <summary>Body of <c>PUT /_sim/faults</c>: the same shapes as <c>Simulator:Throttling</c> and <c>Simulator:Faults</c>.</summary>
public sealed record FaultSettingsChange(ThrottlingOptions? Throttling, FaultOptions? Faults);
