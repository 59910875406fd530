namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// The optional per-binding settings a bind or update may carry (docs/provider-rules.md R-BIND-8, R-BIND-9, R-UPD-3), read and checked
/// once. A value that is present but malformed is <c>isv.INVALID_PARAMETERS</c>; an absent one stays null.
/// </summary>
public sealed record OptionalSettings(
    bool? IsRecordingEnabled,
    int? CallDisplayType,
    string? RingConfig,
    bool? AsrStatus,
    string? AsrModelId,
    int? CallTimeout)
{
    public static BusinessError? TryRead(ActionRequest request, out OptionalSettings settings)
    {
        settings = new OptionalSettings(null, null, null, null, null, null);
        if (TryReadBool(request, "IsRecordingEnabled", out var recording) is { } badRecording)
        {
            return badRecording;
        }

        if (TryReadInt(request, "CallDisplayType", out var display) is { } badDisplay)
        {
            return badDisplay;
        }

        if (TryReadBool(request, "ASRStatus", out var asr) is { } badAsr)
        {
            return badAsr;
        }

        if (TryReadInt(request, "CallTimeout", out var timeout) is { } badTimeout)
        {
            return badTimeout;
        }

        var ringConfig = request.Optional("RingConfig");
        if (ringConfig is not null && !ParameterRules.IsJsonObject(ringConfig))
        {
            return BusinessError.InvalidParameters("RingConfig must be a JSON object.");
        }

        settings = new OptionalSettings(recording, display, ringConfig, asr, request.Optional("ASRModelId"), timeout);
        return null;
    }

    public static BusinessError? TryReadBool(ActionRequest request, string name, out bool? value)
    {
        value = null;
        if (request.Optional(name) is not { } text)
        {
            return null;
        }

        if (!ParameterRules.TryParseBool(text, out var parsed))
        {
            return BusinessError.InvalidParameters($"{name} must be true or false.");
        }

        value = parsed;
        return null;
    }

    public static BusinessError? TryReadInt(ActionRequest request, string name, out int? value)
    {
        value = null;
        if (request.Optional(name) is not { } text)
        {
            return null;
        }

        if (!ParameterRules.TryParseInt(text, out var parsed))
        {
            return BusinessError.InvalidParameters($"{name} must be a non-negative integer.");
        }

        value = parsed;
        return null;
    }

    /// <summary>Applies the settings that were sent (RingConfig, ASRStatus and ASRModelId whatever the operation, R-UPD-3).</summary>
    public void ApplyTo(State.Binding binding, bool includeOperationFields)
    {
        ArgumentNullException.ThrowIfNull(binding);
        if (includeOperationFields)
        {
            if (IsRecordingEnabled is { } recording)
            {
                binding.NeedRecord = recording;
            }

            if (CallDisplayType is { } display)
            {
                binding.CallDisplayType = display;
            }

            if (CallTimeout is { } timeout)
            {
                binding.CallTimeout = timeout;
            }
        }

        if (RingConfig is not null)
        {
            binding.RingConfig = RingConfig;
        }

        if (AsrStatus is { } asr)
        {
            binding.AsrStatus = asr;
        }

        if (AsrModelId is not null)
        {
            binding.AsrModelId = AsrModelId;
        }
    }
}
