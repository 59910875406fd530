using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Control;

/// <summary>
/// Test-only view of the blacklists: <c>GET /_sim/blacklists</c> lists the AddSecretBlacklist entries and, per pool,
/// the OperateBlackNo numbers (in clear: the simulator is the provider).
/// </summary>
public static class BlacklistControl
{
    public static RouteGroupBuilder MapBlacklistControl(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/blacklists", ListBlacklists);
        return group;
    }

    public static IResult ListBlacklists(SimulatorStore store) =>
        TypedResults.Ok(store.Transact(s => new BlacklistsView(
            s.Blacklist.Select(e => new BlacklistEntryView(e.PoolKey, e.Type.ToString(), e.First, e.Second, e.WayControl, e.Remark)).ToList(),
            s.Pools.Keys.ToDictionary(k => k, k => (IReadOnlyList<string>)[.. s.PoolBlackNumbers(k).Order(StringComparer.Ordinal)], StringComparer.Ordinal))));
}

/// <summary>What <c>GET /_sim/blacklists</c> shows.</summary>
public sealed record BlacklistsView(IReadOnlyList<BlacklistEntryView> Entries, IReadOnlyDictionary<string, IReadOnlyList<string>> PoolNumbers);

/// <summary>One AddSecretBlacklist entry.</summary>
public sealed record BlacklistEntryView(string PoolKey, string Type, string First, string? Second, string? WayControl, string? Remark);
