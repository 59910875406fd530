using BindingService.Application.Bindings;
using System.Globalization;
using BindingService.Application.Calls;

namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the call log (Endpoints/Calls.cs).</summary>
internal static class CallsDocs
{
    public const string Tag = "Calls";

    public static RouteHandlerBuilder ListForOrder(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The calls of an order's protection, newest first")
        .WithDescription(
            "Every call through the order's bindings (past ones included), and calls to their X after they ended (status unbound). Numbers are masked. " +
            "Paged: limit 1-200 (default 50); pass nextCursor as cursor for the next page. 404 when the caller has no protection of this order.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
        .WithResponseExample(StatusCodes.Status200OK, Example.Page)
        .WithResponseExample(StatusCodes.Status404NotFound, ProblemExamples.Problem(404, BindingErrors.OrderNotFound.Code, BindingErrors.OrderNotFound.Detail));

    public static RouteHandlerBuilder ListForBinding(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The calls through a binding, newest first")
        .WithDescription("Paged like the order's calls. 404 when the binding is not the caller's.")
        .ProducesErrors(StatusCodes.Status400BadRequest, StatusCodes.Status404NotFound)
        .WithResponseExample(StatusCodes.Status200OK, Example.Page)
        .WithResponseExample(StatusCodes.Status404NotFound, ProblemExamples.Problem(404, BindingErrors.BindingNotFound.Code, BindingErrors.BindingNotFound.Detail));

    public static RouteHandlerBuilder Recording(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("A short-lived download URL of the call's recording")
        .WithDescription(
            "From the provider's QueryRecordFileDownloadUrl (valid 2 hours, reused while it is). 404 call.recording_not_found when the call was not " +
            "recorded, call.recording_expired after the provider's retention (14 days), call.not_found for another caller's call.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithResponseExample(StatusCodes.Status200OK, new RecordingView(Example.CallId, "https://recordings.example.com/5eed000000000001.mp3?Expires=1764000000", At("2026-11-23T12:00:00Z")))
        .WithResponseExample(StatusCodes.Status404NotFound, ProblemExamples.Problem(404, "call.recording_not_found", "This call has no recording."));

    public static RouteHandlerBuilder Transcript(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("The call's transcript")
        .WithDescription("From the provider's ASR receipt, or asked from the provider (GetSecretAsrDetail). Channel 0 is the caller, 1 the called party.")
        .ProducesErrors(StatusCodes.Status404NotFound, StatusCodes.Status503ServiceUnavailable)
        .WithResponseExample(StatusCodes.Status200OK, new TranscriptView(Example.CallId, 30000, [new TranscriptSentence(500, 2000, 0, "喂，您好。")]))
        .WithResponseExample(StatusCodes.Status404NotFound, ProblemExamples.Problem(404, "call.transcript_not_found", "This call has no transcript."));

    private static DateTimeOffset At(string value) => DateTimeOffset.Parse(value, CultureInfo.InvariantCulture);

    private static class Example
    {
        public const string CallId = "5eed000000000001";

        public static readonly CallPage Page = new(
            [
                new CallView(
                    CallId, Guid.Parse("01936f5e-8b90-7c55-a3d2-6e1f0b7c9d21"), "ride", "ride-20261123-0042", "fromPartyA", "138****8000", "139****9000",
                    "17100000001", At("2026-11-23T02:00:00Z"), At("2026-11-23T02:00:05Z"), At("2026-11-23T02:00:35Z"), 30, "connected", null, null,
                    "caller", 16, true, false),
            ],
            null);
    }
}
