using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.AddSecretBlacklist;

/// <summary>
/// AddSecretBlacklist (docs/provider-rules.md R-BLK-2, R-BLK-4): adds a point-to-point pair with its direction, or a
/// pool-global number. Answers Code, Message and RequestId only. An identical entry is kept once. An account in
/// <c>Simulator:RamDeniedAccessKeyIds</c> gets the documented <c>RamPermissionDenied</c> (HTTP 400).
/// </summary>
public sealed class AddSecretBlacklistHandler(
    SimulatorStore store,
    IOptions<SimulatorOptions> options,
    ILogger<AddSecretBlacklistHandler> logger) : IActionHandler
{
    public string Action => "AddSecretBlacklist";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "BlackNo", "BlackType"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (BlacklistRequest.TryRead(request, options.Value.RamDeniedAccessKeyIds, out var blacklist) is { } refused)
        {
            return refused;
        }

        var error = store.Transact(state =>
        {
            if (!state.Pools.ContainsKey(blacklist.PoolKey))
            {
                return BusinessError.PoolKeyNotExists();
            }

            state.AddBlacklistEntry(blacklist.ToEntry());
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.BlacklistChanged(logger, blacklist.PoolKey, "Add", blacklist.BlackTypeName, blacklist.MaskedBlackNo, request.RequestId);
        return ActionResult.Ok();
    }
}
