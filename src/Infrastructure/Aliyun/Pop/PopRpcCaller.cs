using System.Diagnostics;
using BindingService.Application.Abstractions;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// The one generic POP RPC caller behind both typed clients: a form POST to the product's endpoint, signed per
/// attempt by <see cref="PopSigningHandler"/> inside the product's resilience pipeline (<see cref="AliyunResilience"/>).
/// The body is always read; every failure comes back as a <see cref="ProviderError"/> holding the provider's code
/// only. One trace span, one log line and one measurement per call, tagged with product, action and code, never a
/// phone number.
/// </summary>
internal sealed class PopRpcCaller(
    HttpClient http,
    AliyunProduct product,
    Uri endpoint,
    ChinaTime chinaTime,
    TimeProvider timeProvider,
    AliyunTelemetry telemetry,
    ILogger logger)
{
    private readonly string version = AliyunActions.VersionOf(product);

    public async Task<ProviderResult<TResponse>> CallAsync<TResponse>(PopRequest<TResponse> request, CancellationToken cancellationToken)
        where TResponse : PopResponse
    {
        ArgumentNullException.ThrowIfNull(request);
        var action = request.Action;
        if (request.BrokenRule() is { } rule)
        {
            // A documented rule the provider would refuse anyway: refused here, nothing is sent (so nothing can have
            // been applied) and the caller gets the same kind as the provider's own parameter errors.
            var refused = new ProviderError(ProviderErrorKind.InvalidRequest, AliyunErrorMap.ClientCodes.InvalidRequest);
            AliyunLog.RefusedBeforeSending(logger, action, refused.Code, rule);
            telemetry.Record(product, action, refused.Code, "failure", TimeSpan.Zero, refused.Kind);
            return ProviderResult<TResponse>.Failure(refused);
        }

        var parameters = new PopParameters(action, chinaTime);
        request.Write(parameters);

        // A query changes nothing, so its outcome is never "unknown"; anything else may have been applied when we
        // cannot tell (OutcomeUnknown). Only NotRepeatable actions refuse a retry after such an outcome.
        var mutating = request.Kind != AliyunCallKind.Query;
        var call = new AliyunCall(action, version, parameters.Items, retryAfterUnknownOutcome: request.Kind != AliyunCallKind.NotRepeatable, product);

        using var activity = AliyunTelemetry.ActivitySource.StartActivity($"Aliyun {action}", ActivityKind.Client);
        activity?.SetTag("aliyun.product", AliyunTelemetry.ProductTag(product));
        activity?.SetTag("aliyun.action", action);
        var started = timeProvider.GetTimestamp();
        ProviderError? error;
        TResponse? value = null;
        string? providerRequestId = null;
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, endpoint);
            message.Options.Set(AliyunCall.OptionKey, call);
            using var response = await http.SendAsync(message, cancellationToken);
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            var parsed = PopResponse.TryRead<TResponse>(body);
            providerRequestId = parsed?.RequestId;
            if (response.IsSuccessStatusCode && parsed is { Succeeded: true })
            {
                // OK without the payload the action promises: something happened that we cannot read.
                value = parsed.IsComplete ? parsed : null;
                error = value is null ? AliyunErrorMap.FromResponse(response.StatusCode, code: null, mutating) : null;
            }
            else
            {
                var status = parsed?.FailureStatus(response.StatusCode) ?? response.StatusCode;
                error = AliyunErrorMap.FromResponse(status, parsed?.Code, mutating);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            var cancelledAfter = timeProvider.GetElapsedTime(started);
            AliyunLog.CallCancelled(logger, action, (long)cancelledAfter.TotalMilliseconds);
            telemetry.Record(product, action, "Cancelled", "cancelled", cancelledAfter);
            activity?.SetStatus(ActivityStatusCode.Error, "Cancelled");
            throw;
        }
        catch (Exception exception) when (AliyunErrorMap.TryFromException(exception, mutating && call.WasSent, out var mapped))
        {
            // mutating && WasSent: a call that never left (queued behind the rate limiter until the total timeout,
            // refused by an open circuit) certainly changed nothing.
            error = mapped;
        }

        var elapsed = timeProvider.GetElapsedTime(started);
        var elapsedMs = (long)elapsed.TotalMilliseconds;
        activity?.SetTag("aliyun.request_id", providerRequestId);
        if (error is null)
        {
            AliyunLog.CallSucceeded(logger, action, Math.Round(elapsed.TotalMilliseconds, 2), providerRequestId ?? "-");
            telemetry.Record(product, action, AliyunErrorMap.Ok, "success", elapsed);
            activity?.SetTag("aliyun.code", AliyunErrorMap.Ok);
            return ProviderResult<TResponse>.Success(value!);
        }

        AliyunLog.CallFailed(logger, action, error.Code, error.Kind, error.OutcomeUnknown, elapsedMs, providerRequestId ?? "-");
        if (error.Kind == ProviderErrorKind.PoolNotFound)
        {
            AliyunLog.PoolNotFound(logger, action, error.Code);
        }

        telemetry.Record(product, action, error.Code, "failure", elapsed, error.Kind);
        activity?.SetTag("aliyun.code", error.Code);
        activity?.SetStatus(ActivityStatusCode.Error, error.Code);
        return ProviderResult<TResponse>.Failure(error);
    }
}
