using BindingService.AliyunSimulator.Actions.QuerySecretNoRemain;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.BuySecretNo;

/// <summary>
/// BuySecretNo (docs/provider-rules.md R-NUM-1, R-NUM-2, R-NUM-4): takes one number of the SpecId on sale in City
/// (the first, in stock order, that starts with the optional <c>SecretNo</c> prefix) into the pool, unbound and
/// selectable by the bind actions like a configured number. Answers <c>SecretBuyInfoDTO{SecretNo}</c>.
/// </summary>
public sealed class BuySecretNoHandler(
    SimulatorStore store,
    ChinaClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<BuySecretNoHandler> logger) : IActionHandler
{
    public string Action => "BuySecretNo";

    public IReadOnlyList<string> RequiredParameters { get; } = ["City", "PoolKey", "SpecId"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var now = clock.UtcNow;
        var city = request.Required("City");
        var poolKey = request.Required("PoolKey");
        if (settings.UnverifiedAccessKeyIds.Contains(request.AccessKeyId, StringComparer.Ordinal))
        {
            // [sim] The code for an account without enterprise verification is undocumented.
            return BusinessError.ForbiddenAction("the account is not real-name verified as an enterprise, which buying numbers requires.");
        }

        if (InventoryParameters.TryRead(request, out var specId, out var prefix) is { } invalid)
        {
            return invalid;
        }

        if (OptionalSettings.TryReadBool(request, "DisplayPool", out var displayPool) is { } badDisplayPool)
        {
            return badDisplayPool;
        }

        if ((specId == 3) != (city == NumberDefaults.Nationwide95) || city is QuerySecretNoRemainHandler.Nationwide or QuerySecretNoRemainHandler.NationwideList)
        {
            return BusinessError.InvalidParameters("City is one home city for SpecId 1 or 2, and 全国通用 for 95 numbers (SpecId 3).");
        }

        var bought = store.Transact<(BusinessError? Error, SecretNumber? Number)>(state =>
        {
            if (!state.Pools.TryGetValue(poolKey, out var pool))
            {
                return (BusinessError.PoolKeyNotExists(), null);
            }

            // DisplayPool only takes effect for customers with the number-display feature (R-NUM-4).
            var number = state.Buy(pool, specId, city, prefix, settings.CertifyStatus, settings.DisplayFeature && displayPool == true, now);
            return number is null
                ? (BusinessError.NoAvailableNumber("not enough numbers of this SpecId (and prefix) on sale in City."), null)
                : (null, number);
        });
        if (bought.Error is { } error)
        {
            return error;
        }

        var secretNo = bought.Number!.SecretNo;
        NumberLog.NumberBought(logger, PhoneMask.Mask(secretNo), specId, city, poolKey, request.RequestId);
        return ActionResult.Ok(new ResponseBody { { "SecretBuyInfoDTO", new ResponseBody { { "SecretNo", secretNo } } } });
    }
}
