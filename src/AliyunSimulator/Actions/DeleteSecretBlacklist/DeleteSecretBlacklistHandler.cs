using BindingService.AliyunSimulator.Actions.AddSecretBlacklist;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.DeleteSecretBlacklist;

/// <summary>
/// DeleteSecretBlacklist (docs/provider-rules.md R-BLK-3, R-BLK-4): the same parameters as AddSecretBlacklist; removes
/// the pool's entries of that type and numbers, and of that <c>WayControl</c> when one is given. Deleting an entry
/// that is not there is OK (idempotent). <c>RamPermissionDenied</c> (400) as for Add.
/// </summary>
public sealed class DeleteSecretBlacklistHandler(
    SimulatorStore store,
    IOptions<SimulatorOptions> options,
    ILogger<DeleteSecretBlacklistHandler> logger) : IActionHandler
{
    public string Action => "DeleteSecretBlacklist";

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

            state.RemoveBlacklistEntries(blacklist.PoolKey, blacklist.Type, blacklist.First, blacklist.Second, blacklist.WayControl);
            return null;
        });
        if (error is not null)
        {
            return error;
        }

        NumberLog.BlacklistChanged(logger, blacklist.PoolKey, "Delete", blacklist.BlackTypeName, blacklist.MaskedBlackNo, request.RequestId);
        return ActionResult.Ok();
    }
}
