using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.BindAxb;

/// <summary>BindAxb (API-DIGEST §3.1, §4.4): creates an AXB binding and answers <c>SecretBindDTO{SubsId, SecretNo}</c>.</summary>
public sealed class BindAxbHandler(
    SimulatorStore store,
    ChinaClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<BindAxbHandler> logger) : IActionHandler
{
    public string Action => "BindAxb";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoA", "PhoneNoB", "Expiration"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var poolKey = request.Required("PoolKey");
        var phoneNoA = request.Required("PhoneNoA");
        var phoneNoB = request.Required("PhoneNoB");
        if (!ParameterRules.IsPhoneNumber(phoneNoA))
        {
            return BusinessError.MobileNumberIllegal("PhoneNoA");
        }

        if (!ParameterRules.IsPhoneNumber(phoneNoB))
        {
            return BusinessError.MobileNumberIllegal("PhoneNoB");
        }

        if (!clock.TryParseBusinessTime(request.Required("Expiration"), out var expiration) || !ParameterRules.IsAcceptableExpiry(expiration, now))
        {
            return BusinessError.ExpireDateIllegal("Expiration");
        }

        var callRestrict = request.Optional("CallRestrict");
        if (callRestrict is not (null or ParameterRules.ControlAxDisable or ParameterRules.ControlBxDisable))
        {
            return BusinessError.InvalidParameters("CallRestrict must be CONTROL_AX_DISABLE or CONTROL_BX_DISABLE.");
        }

        if (OptionalSettings.TryRead(request, out var settings) is { } invalid)
        {
            return invalid;
        }

        var phoneNoX = request.Optional("PhoneNoX");
        var expectCity = request.Optional("ExpectCity");
        var maxPairs = options.Value.MaxAxbPairsPerX;

        var result = store.Transact<(BusinessError? Error, Binding? Binding)>(state =>
        {
            if (!state.Pools.TryGetValue(poolKey, out var pool))
            {
                return (BusinessError.PoolKeyNotExists(), null);
            }

            if (!string.Equals(pool.Product, "AXB", StringComparison.OrdinalIgnoreCase))
            {
                return (BusinessError.ForbiddenAction("BindAxb needs an AXB pool."), null);
            }

            if (AxbNumberSelector.TrySelect(state, pool, phoneNoA, phoneNoB, phoneNoX, expectCity, maxPairs, now, out var x) is { } error)
            {
                return (error, null);
            }

            var binding = new Binding
            {
                SubsId = state.NextSubsId(),
                PoolKey = pool.PoolKey,
                Product = "AXB",
                SecretNo = x.SecretNo,
                PhoneNoA = phoneNoA,
                PhoneNoB = phoneNoB,
                Expiration = expiration,
                CreatedAt = now,
                OutId = request.Optional("OutId"),
                OutOrderId = request.Optional("OutOrderId"),
                CallRestrict = callRestrict,
            };
            settings.ApplyTo(binding, includeOperationFields: true);
            state.Add(binding);
            return (null, binding);
        });

        if (result.Error is { } failure)
        {
            return failure;
        }

        var created = result.Binding!;
        SimulatorLog.BindingCreated(
            logger, created.SubsId, created.PoolKey, PhoneMask.Mask(created.SecretNo), PhoneMask.Mask(phoneNoA), PhoneMask.Mask(phoneNoB), expiration, request.RequestId);

        // Extension is not applicable to AXB (API-DIGEST §3.1, R-BIND-5): omitted.
        return ActionResult.Ok(new ResponseBody
        {
            { "SecretBindDTO", new ResponseBody { { "SubsId", created.SubsId }, { "SecretNo", created.SecretNo } } },
        });
    }
}
