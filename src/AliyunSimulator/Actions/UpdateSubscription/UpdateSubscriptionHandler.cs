using System.Globalization;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.UpdateSubscription;

/// <summary>
/// UpdateSubscription (docs/provider-rules.md, 'Actions', 'Changing bindings') for bindings of every product: one <c>OperateType</c> per call, each
/// with its own required parameter (R-UPD-2). <c>RingConfig</c>, <c>ASRStatus</c> and <c>ASRModelId</c> are
/// applied whenever present (R-UPD-3). <c>updateAxgGroup</c> is refused on a binding that is not AXG, and needs a
/// G group of the binding's pool that has at least one number (R-BIND-10). A new A or B that is already a party on
/// the same X is a conflict for AXB only (the other products do not share X between pairs, R-BIND-6).
/// </summary>
public sealed class UpdateSubscriptionHandler(SimulatorStore store, ChinaClock clock, ILogger<UpdateSubscriptionHandler> logger) : IActionHandler
{
    public const string UpdateNoA = "updateNoA";
    public const string UpdateNoB = "updateNoB";
    public const string UpdateExpire = "updateExpire";
    public const string UpdateAxgGroup = "updateAxgGroup";
    public const string UpdateCallRestrict = "updateCallRestrict";
    public const string UpdateCallDisplayType = "updateCallDisplayType";
    public const string UpdateOutId = "updateOutId";
    public const string UpdateIsRecordingEnabled = "updateIsRecordingEnabled";

    public string Action => "UpdateSubscription";

    public IReadOnlyList<string> RequiredParameters { get; } = ["SubsId", "PhoneNoX", "OperateType"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        if (SubscriptionLookup.TryRead(request, "PhoneNoX", out var lookup) is { } refused)
        {
            return refused;
        }

        var operateType = request.Required("OperateType");
        if (ReadChange(request, operateType, now, out var change) is { } invalid)
        {
            return invalid;
        }

        if (OptionalSettings.TryRead(request, out var settings) is { } badSetting)
        {
            return badSetting;
        }

        var error = store.Transact(state =>
        {
            if (lookup.TryFind(state, out var binding) is { } notFound)
            {
                return notFound;
            }

            // The error page lists updateNoA, updateNoB and updateEndDate (our updateExpire) on an expired binding as
            // forbidden (docs/provider-rules.md A.2): an expired binding is not brought back to life.
            if ((operateType is UpdateNoA or UpdateNoB or UpdateExpire) && !binding.IsActiveAt(now))
            {
                return BusinessError.ForbiddenAction("the binding has expired; create a new binding.");
            }

            if (operateType == UpdateAxgGroup)
            {
                if (!string.Equals(binding.Product, Products.Axg, StringComparison.Ordinal))
                {
                    return BusinessError.ForbiddenAction("updateAxgGroup applies to AXG bindings only.");
                }

                if (AxgGroupRules.TryFindUsableGroup(state, binding.PoolKey, long.Parse(change!, CultureInfo.InvariantCulture)) is { } badGroup)
                {
                    return badGroup;
                }
            }

            if ((operateType is UpdateNoA or UpdateNoB)
                && string.Equals(binding.Product, Products.Axb, StringComparison.Ordinal)
                && state.ActiveBindingsOn(binding.SecretNo, now).Any(other => !ReferenceEquals(other, binding) && other.Involves(change!)))
            {
                return BusinessError.BindConflict("the new number already has a binding with this X.");
            }

            Apply(binding, operateType, change);
            settings.ApplyTo(binding, includeOperationFields: false);
            return (BusinessError?)null;
        });

        if (error is not null)
        {
            return error;
        }

        SimulatorLog.BindingUpdated(logger, lookup.SubsId, operateType, request.RequestId);
        return ActionResult.Ok();
    }

    /// <summary>Checks the operation and its parameter; <paramref name="change"/> is the new value as text.</summary>
    private ActionResult? ReadChange(ActionRequest request, string operateType, DateTimeOffset now, out string? change)
    {
        change = null;
        var parameter = operateType switch
        {
            UpdateNoA => "PhoneNoA",
            UpdateNoB => "PhoneNoB",
            UpdateExpire => "Expiration",
            UpdateAxgGroup => "GroupId",
            UpdateCallRestrict => "CallRestrict",
            UpdateCallDisplayType => "CallDisplayType",
            UpdateOutId => "OutId",
            UpdateIsRecordingEnabled => "IsRecordingEnabled",
            _ => null,
        };
        if (parameter is null)
        {
            return BusinessError.InvalidParameters("OperateType is not a supported operation.");
        }

        change = request.Optional(parameter);
        if (change is null)
        {
            return ActionResult.Missing(parameter);
        }

        BusinessError? invalid = operateType switch
        {
            UpdateNoA or UpdateNoB when !ParameterRules.IsPhoneNumber(change) => BusinessError.MobileNumberIllegal(parameter),
            UpdateExpire when !clock.TryParseBusinessTime(change, out var expiry) || !ParameterRules.IsAcceptableExpiry(expiry, now) =>
                BusinessError.ExpireDateIllegal(parameter),
            UpdateCallRestrict when change is not (ParameterRules.ControlAxDisable or ParameterRules.ControlBxDisable or ParameterRules.ControlClearDisable) =>
                BusinessError.InvalidParameters("CallRestrict must be CONTROL_AX_DISABLE, CONTROL_BX_DISABLE or CONTROL_CLEAR_DISABLE."),
            UpdateAxgGroup when !AxgGroupRules.TryParseGroupId(change, out _) => BusinessError.InvalidParameters("GroupId must be a G group id (an integer)."),
            UpdateCallDisplayType when !ParameterRules.TryParseInt(change, out _) => BusinessError.InvalidParameters("CallDisplayType must be an integer."),
            UpdateIsRecordingEnabled when !ParameterRules.TryParseBool(change, out _) => BusinessError.InvalidParameters("IsRecordingEnabled must be true or false."),
            _ => null,
        };
        return invalid is null ? null : (ActionResult)invalid;
    }

    private void Apply(Binding binding, string operateType, string? change)
    {
        ArgumentNullException.ThrowIfNull(change);
        switch (operateType)
        {
            case UpdateNoA:
                binding.PhoneNoA = change;
                break;
            case UpdateNoB:
                binding.PhoneNoB = change;
                break;
            case UpdateExpire:
                clock.TryParseBusinessTime(change, out var expiry);
                binding.Expiration = expiry;
                break;
            case UpdateAxgGroup:
                AxgGroupRules.TryParseGroupId(change, out var groupId);
                binding.GroupId = groupId;
                break;
            case UpdateCallRestrict:
                binding.CallRestrict = change == ParameterRules.ControlClearDisable ? null : change;
                break;
            case UpdateCallDisplayType:
                ParameterRules.TryParseInt(change, out var display);
                binding.CallDisplayType = display;
                break;
            case UpdateOutId:
                binding.OutId = change;
                break;
            case UpdateIsRecordingEnabled:
                ParameterRules.TryParseBool(change, out var recording);
                binding.NeedRecord = recording;
                break;
            default:
                throw new InvalidOperationException($"{operateType} reached Apply without being checked.");
        }
    }
}
