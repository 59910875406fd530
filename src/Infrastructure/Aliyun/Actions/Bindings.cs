using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': the four bind actions. They share most parameters; each states its own specifics.

/// <summary>CallRestrict values (R-BIND-7, R-UPD-2).</summary>
public static class CallRestricts
{
    /// <summary>A cannot call X.</summary>
    public const string AxDisable = "CONTROL_AX_DISABLE";

    /// <summary>B cannot call X.</summary>
    public const string BxDisable = "CONTROL_BX_DISABLE";

    /// <summary>Clears the restriction (UpdateSubscription only).</summary>
    public const string Clear = "CONTROL_CLEAR_DISABLE";
}

/// <summary>CallDisplayType (R-BIND-8, R-UPD-2): the document fixes it to 1, both sides see X.</summary>
internal static class CallDisplayTypes
{
    public const int BothSeeX = 1;

    public static string? BrokenRule(int? value) =>
        value is null or BothSeeX ? null : "CallDisplayType must be 1, its only documented value (R-BIND-8).";
}

/// <summary>
/// What every bind action takes. A bind creates a binding at the provider, so it is
/// <see cref="AliyunCallKind.NotRepeatable"/>: a repeat after a timeout could create a second binding (and hold a
/// second X). The caller keeps such a binding pending and settles it by reconciliation (by OutId).
/// </summary>
public abstract record BindRequest<TResponse> : PopRequest<TResponse>
    where TResponse : SecretBindResponse
{
    public sealed override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;

    public required string PoolKey { get; init; }

    public required string PhoneNoA { get; init; }

    /// <summary>Sent as China time; must be more than a minute ahead (R-BIND-2).</summary>
    public required DateTimeOffset Expiration { get; init; }

    /// <summary>A bought X; chosen by the provider (guided by ExpectCity) when omitted (R-BIND-4).</summary>
    public string? PhoneNoX { get; init; }

    public string? ExpectCity { get; init; }

    public bool? IsRecordingEnabled { get; init; }

    /// <summary>Echoed in call receipts: our binding id.</summary>
    public string? OutId { get; init; }

    public string? OutOrderId { get; init; }

    /// <summary>Only 1 has an effect (R-BIND-8); any other value is refused before sending.</summary>
    public int? CallDisplayType { get; init; }

    /// <summary>Ring-back tone codes by key (AXBRing_A, AXNRing_N...), sent as one JSON object (R-BIND-9).</summary>
    public IReadOnlyDictionary<string, string>? RingConfig { get; init; }

    public bool? ASRStatus { get; init; }

    public string? ASRModelId { get; init; }

    /// <summary><see cref="CallRestricts.AxDisable"/> or <see cref="CallRestricts.BxDisable"/>.</summary>
    public string? CallRestrict { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("PhoneNoA", PhoneNoA);
        parameters.Add("Expiration", Expiration);
        parameters.AddOptional("PhoneNoX", PhoneNoX);
        parameters.AddOptional("ExpectCity", ExpectCity);
        parameters.AddOptional("IsRecordingEnabled", IsRecordingEnabled);
        parameters.AddOptional("OutId", OutId);
        parameters.AddOptional("OutOrderId", OutOrderId);
        parameters.AddOptional("CallDisplayType", CallDisplayType);
        parameters.AddJson("RingConfig", RingConfig);
        parameters.AddOptional("ASRStatus", ASRStatus);
        parameters.AddOptional("ASRModelId", ASRModelId);
        parameters.AddOptional("CallRestrict", CallRestrict);
        WriteSpecific(parameters);
    }

    internal sealed override string? BrokenRule() =>
        CallDisplayTypes.BrokenRule(CallDisplayType) ?? SpecificBrokenRule();

    /// <summary>The parameters only this bind action takes.</summary>
    private protected abstract void WriteSpecific(PopParameters parameters);

    /// <summary>A documented rule broken by the parameters only this bind action takes, or null.</summary>
    private protected virtual string? SpecificBrokenRule() => null;
}

/// <summary>BindAxb: A and B reach each other through X. PhoneNoB is required.</summary>
public sealed record BindAxbRequest : BindRequest<BindAxbResponse>
{
    public override string Action => "BindAxb";

    public required string PhoneNoB { get; init; }

    /// <summary>Sequential ringing, seconds.</summary>
    public int? CallTimeout { get; init; }

    private protected override void WriteSpecific(PopParameters parameters)
    {
        parameters.Add("PhoneNoB", PhoneNoB);
        parameters.AddOptional("CallTimeout", CallTimeout);
    }
}

/// <summary>BindAxn: any N calling X reaches A; A calling X reaches B when given.</summary>
public sealed record BindAxnRequest : BindRequest<BindAxnResponse>
{
    public override string Action => "BindAxn";

    public string? PhoneNoB { get; init; }

    /// <summary>Legacy key accounts only.</summary>
    public string? NoType { get; init; }

    public int? CallTimeout { get; init; }

    private protected override void WriteSpecific(PopParameters parameters)
    {
        parameters.AddOptional("PhoneNoB", PhoneNoB);
        parameters.AddOptional("NoType", NoType);
        parameters.AddOptional("CallTimeout", CallTimeout);
    }
}

/// <summary>
/// BindAxnExtension: X plus a 1–3 digit extension reaches A. An Extension needs its PhoneNoX; one that is not
/// 1 to 3 digits is refused before sending (docs/provider-rules.md R-BIND-6).
/// </summary>
public sealed record BindAxnExtensionRequest : BindRequest<BindAxnExtensionResponse>
{
    public override string Action => "BindAxnExtension";

    public string? PhoneNoB { get; init; }

    /// <summary>1 to 3 ASCII digits; allocated by the provider when omitted.</summary>
    public string? Extension { get; init; }

    private protected override string? SpecificBrokenRule() =>
        Extension is null || (Extension.Length is >= 1 and <= 3 && Extension.All(char.IsAsciiDigit))
            ? null
            : "Extension must be 1 to 3 digits (R-BIND-6).";

    private protected override void WriteSpecific(PopParameters parameters)
    {
        if (!string.IsNullOrWhiteSpace(Extension) && string.IsNullOrWhiteSpace(PhoneNoX))
        {
            throw new ArgumentException("BindAxnExtension: Extension and PhoneNoX must be given together.", nameof(Extension));
        }

        parameters.AddOptional("PhoneNoB", PhoneNoB);
        parameters.AddOptional("Extension", Extension);
    }
}

/// <summary>BindAxg: numbers of group G reach A through X. GroupId is required (a String on the wire: T42).</summary>
public sealed record BindAxgRequest : BindRequest<BindAxgResponse>
{
    public override string Action => "BindAxg";

    public required long GroupId { get; init; }

    public string? PhoneNoB { get; init; }

    private protected override void WriteSpecific(PopParameters parameters)
    {
        parameters.Add("GroupId", GroupId);
        parameters.AddOptional("PhoneNoB", PhoneNoB);
    }
}

/// <summary>SecretBindDTO: the binding a bind action created.</summary>
public sealed class SecretBindDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? SubsId { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SecretNo { get; init; }

    /// <summary>Meaningful for BindAxnExtension only; the other binds' value is to be ignored (T36).</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }
}

/// <summary>A bind's response. Complete only with a SubsId and a SecretNo: an OK without them cannot be acted on.</summary>
public abstract class SecretBindResponse : PopResponse
{
    [JsonPropertyName("SecretBindDTO")]
    public SecretBindDto? SecretBindDTO { get; init; }

    internal override bool IsComplete => SecretBindDTO is { } b && !IsBlank(b.SubsId) && !IsBlank(b.SecretNo);
}

public sealed class BindAxbResponse : SecretBindResponse;

public sealed class BindAxnResponse : SecretBindResponse;

public sealed class BindAxnExtensionResponse : SecretBindResponse;

public sealed class BindAxgResponse : SecretBindResponse;
