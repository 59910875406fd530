using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Gateway;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only control endpoints under <c>/_sim/</c> (mapped when <c>Simulator:ControlApi</c> is true): the
/// provider's view of its state, with numbers in clear (it is the provider), and a reset. Unsigned and
/// unauthenticated: never expose a simulator with the control API beyond a test network. Fault injection, call records and
/// call simulation have their own files beside this one.
/// </summary>
public static class ControlEndpoints
{
    public static RouteGroupBuilder MapSimulatorControl(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/_sim").ExcludeFromDescription();
        group.MapGet("/bindings", ListBindings);
        group.MapGet("/bindings/{subsId}", GetBinding);
        group.MapGet("/numbers", ListNumbers);
        group.MapPatch("/numbers/{secretNo}", ChangeNumber);
        group.MapPost("/reset", Reset);
        group.MapCallRecordControl();
        group.MapCallSimulationControl();
        group.MapSmsSimulationControl();
        group.MapFaultControl();
        group.MapBindingControl();
        group.MapBlacklistControl();
        group.MapReceiptControl();
        return group;
    }

    /// <summary>Every binding the simulator holds, expired ones included (status 0), in creation order.</summary>
    public static IResult ListBindings(SimulatorStore store, ChinaClock clock)
    {
        var now = clock.UtcNow;
        return TypedResults.Ok(store.Bindings(now).Select(b => BindingView.From(b, clock)).ToList());
    }

    public static IResult GetBinding(string subsId, SimulatorStore store, ChinaClock clock)
    {
        var now = clock.UtcNow;
        var snapshot = store.Transact(s => s.FindBinding(subsId)?.Snapshot(now));
        return snapshot is null
            ? TypedResults.NotFound(new ControlError($"No binding {subsId}."))
            : TypedResults.Ok(BindingView.From(snapshot, clock));
    }

    /// <summary>Every X number with its pool, city, lock/freeze flags and how many active bindings it carries.</summary>
    public static IResult ListNumbers(SimulatorStore store, ChinaClock clock)
    {
        var now = clock.UtcNow;
        return TypedResults.Ok(store.Transact(s => s.Pools.Values
            .SelectMany(p => p.Numbers)
            .Select(n => NumberView.From(n, s.ActiveBindingsOn(n.SecretNo, now).Count))
            .ToList()));
    }

    /// <summary>Locks/unlocks or freezes/unfreezes a number (only the flags sent change): the back door docs/provider-rules.md R-NUM-5 asks for.</summary>
    public static IResult ChangeNumber(string secretNo, NumberChange change, SimulatorStore store, ChinaClock clock, ILoggerFactory loggerFactory)
    {
        ArgumentNullException.ThrowIfNull(change);
        var now = clock.UtcNow;
        var view = store.Transact(s =>
        {
            if (!s.Numbers.TryGetValue(secretNo, out var number))
            {
                return null;
            }

            number.Locked = change.Locked ?? number.Locked;
            number.Frozen = change.Frozen ?? number.Frozen;
            return NumberView.From(number, s.ActiveBindingsOn(number.SecretNo, now).Count);
        });
        if (view is null)
        {
            return TypedResults.NotFound(new ControlError($"No number {PhoneMask.Mask(secretNo)}."));
        }

        SimulatorLog.NumberStateChanged(loggerFactory.CreateLogger(typeof(ControlEndpoints).FullName!), PhoneMask.Mask(secretNo), view.Locked, view.Frozen);
        return TypedResults.Ok(view);
    }

    /// <summary>Back to the configured start: no bindings, no used nonces, numbers as configured, the seed restarted.</summary>
    public static IResult Reset(SimulatorStore store, NonceCache nonces, Receipts.ReceiptPusher pusher, ILoggerFactory loggerFactory)
    {
        store.Reset();
        nonces.Clear();
        pusher.Clear();
        SimulatorLog.StateReset(loggerFactory.CreateLogger(typeof(ControlEndpoints).FullName!));
        return TypedResults.NoContent();
    }
}

/// <summary>A binding as <c>GET /_sim/bindings</c> shows it (every product). Times are ISO 8601 at the China offset.</summary>
public sealed record BindingView(
    string PoolKey,
    string Product,
    string SubsId,
    string SecretNo,
    string PhoneNoA,
    string? PhoneNoB,
    DateTimeOffset Expiration,
    int Status,
    string? OutId,
    string? OutOrderId,
    string? CallRestrict,
    bool NeedRecord,
    DateTimeOffset CreatedAt,
    int? CallDisplayType,
    string? RingConfig,
    bool AsrStatus,
    string? AsrModelId,
    int? CallTimeout,
    string? Extension,
    long? GroupId,
    IReadOnlyList<string> TrackNos)
{
    public static BindingView From(BindingSnapshot b, ChinaClock clock)
    {
        ArgumentNullException.ThrowIfNull(b);
        ArgumentNullException.ThrowIfNull(clock);
        return new(
            b.PoolKey, b.Product, b.SubsId, b.SecretNo, b.PhoneNoA, b.PhoneNoB, clock.ToChina(b.Expiration), b.Status, b.OutId, b.OutOrderId,
            b.CallRestrict, b.NeedRecord, clock.ToChina(b.CreatedAt), b.CallDisplayType, b.RingConfig, b.AsrStatus, b.AsrModelId, b.CallTimeout,
            b.Extension, b.GroupId, b.TrackNos);
    }
}

/// <summary>A number as <c>GET /_sim/numbers</c> shows it.</summary>
public sealed record NumberView(string PoolKey, string SecretNo, string City, bool Locked, bool Frozen, int ActiveBindings)
{
    public static NumberView From(SecretNumber n, int activeBindings)
    {
        ArgumentNullException.ThrowIfNull(n);
        return new(n.PoolKey, n.SecretNo, n.City, n.Locked, n.Frozen, activeBindings);
    }
}

/// <summary>Body of <c>PATCH /_sim/numbers/{secretNo}</c>: the flags to set; absent ones are left as they are.</summary>
public sealed record NumberChange(bool? Locked, bool? Frozen);

public sealed record ControlError(string Error);
