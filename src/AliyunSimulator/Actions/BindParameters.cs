using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// What the four bind actions (BindAxb, BindAxn, BindAxnExtension, BindAxg) have in common, read and checked once
/// before the store is touched: docs/provider-rules.md R-BIND-1 (the gateway checked presence), R-BIND-2, R-BIND-3, R-BIND-8, R-BIND-9.
/// </summary>
public sealed record BindParameters(
    string PoolKey,
    string PhoneNoA,
    string? PhoneNoB,
    string? PhoneNoX,
    string? ExpectCity,
    DateTimeOffset Expiration,
    string? CallRestrict,
    string? OutId,
    string? OutOrderId,
    OptionalSettings Settings)
{
    public static BusinessError? TryRead(ActionRequest request, ChinaClock clock, DateTimeOffset now, out BindParameters parameters)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(clock);
        parameters = null!;
        var phoneNoA = request.Required("PhoneNoA");
        if (!ParameterRules.IsPhoneNumber(phoneNoA))
        {
            return BusinessError.MobileNumberIllegal("PhoneNoA");
        }

        // PhoneNoB is required for BindAxb only (the gateway checks that); optional for the others.
        var phoneNoB = request.Optional("PhoneNoB");
        if (phoneNoB is not null && !ParameterRules.IsPhoneNumber(phoneNoB))
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

        parameters = new BindParameters(
            request.Required("PoolKey"), phoneNoA, phoneNoB, request.Optional("PhoneNoX"), request.Optional("ExpectCity"), expiration,
            callRestrict, request.Optional("OutId"), request.Optional("OutOrderId"), settings);
        return null;
    }

    /// <summary>The pool, which must exist and be of <paramref name="product"/> (an X belongs to one pool of one product, B.20).</summary>
    public BusinessError? TryFindPool(SimulatorState state, string product, string action, out Pool pool)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (!state.Pools.TryGetValue(PoolKey, out pool!))
        {
            return BusinessError.PoolKeyNotExists();
        }

        return Products.Is(pool.Product, product) ? null : BusinessError.ForbiddenAction($"{action} needs an {product} pool.");
    }

    /// <summary>A new binding on <paramref name="x"/> with everything read here; the caller adds it to the state.</summary>
    public Binding NewBinding(
        SimulatorState state, string product, SecretNumber x, DateTimeOffset now, string? extension = null, long? groupId = null, string? noType = null)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(x);
        var binding = new Binding
        {
            SubsId = state.NextSubsId(),
            PoolKey = x.PoolKey,
            Product = product,
            SecretNo = x.SecretNo,
            PhoneNoA = PhoneNoA,
            PhoneNoB = PhoneNoB,
            Expiration = Expiration,
            CreatedAt = now,
            Extension = extension,
            GroupId = groupId,
            NoType = noType,
            OutId = OutId,
            OutOrderId = OutOrderId,
            CallRestrict = CallRestrict,
        };
        Settings.ApplyTo(binding, includeOperationFields: true);
        return binding;
    }

    /// <summary>
    /// Logs the created binding (numbers masked) and answers <c>SecretBindDTO{SubsId, SecretNo, Extension?}</c>.
    /// Extension is only meaningful for BindAxnExtension (R-BIND-5); the others omit it.
    /// </summary>
    public static ActionResult Answer((BusinessError? Error, Binding? Binding) outcome, ILogger logger, ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (outcome.Error is { } failure)
        {
            return failure;
        }

        var created = outcome.Binding ?? throw new InvalidOperationException("A bind outcome has an error or a binding.");
        SimulatorLog.BindingCreated(
            logger, created.SubsId, created.PoolKey, PhoneMask.Mask(created.SecretNo), PhoneMask.Mask(created.PhoneNoA), PhoneMask.Mask(created.PhoneNoB),
            created.Expiration, request.RequestId);
        return ActionResult.Ok(new ResponseBody
        {
            {
                "SecretBindDTO", new ResponseBody
                {
                    { "SubsId", created.SubsId },
                    { "SecretNo", created.SecretNo },
                    { "Extension", created.Extension },
                }
            },
        });
    }
}
