using BindingService.Application.Common;

namespace BindingService.Application.Calls;

/// <summary>The call log's error codes.</summary>
public static class CallErrors
{
    public static readonly Error CallNotFound = Error.NotFound("call.not_found", "No call with this id exists for this caller.");

    public static readonly Error NoRecording = Error.NotFound("call.recording_not_found", "This call has no recording.");

    public static readonly Error RecordingExpired = Error.NotFound("call.recording_expired", "The provider no longer keeps this call's recording.");

    public static readonly Error NoTranscript = Error.NotFound("call.transcript_not_found", "This call has no transcript.");

    public static Error InvalidPage(string field, string message) =>
        Error.Validation(new Dictionary<string, string[]> { [field] = [message] });
}
