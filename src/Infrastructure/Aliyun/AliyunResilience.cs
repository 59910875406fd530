using System.Net;
using BindingService.Application.Abstractions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// The resilience pipeline around every attempt of one product's calls (one pipeline per product, Dyplsapi and
/// Dytnsapi), outermost first:
/// total timeout → retry → circuit breaker → rate limiter (per action) → attempt timeout (per action) →
/// (PopSigningHandler → network).
/// <para>
/// Retry policy. Any action is retried when the provider certainly did not apply the request: throttling
/// (Throttling.*, isv.FLOW_LIMIT, FlowLimited, System.LimitControl, HTTP 429), HTTP 503 (the gateway refusing
/// before processing) and connections that could not be made (refused, DNS, TLS), even a bind. An attempt whose
/// outcome is unknown (attempt timeout, connection lost after sending, other 5xx, isp.* errors) is retried only
/// when the call allows it (<see cref="AliyunCall.RetryAfterUnknownOutcome"/>, from the request's
/// <see cref="AliyunCallKind"/>): never for binds and other creating actions, whose repeat could create a second
/// binding (group, number, order...); the caller settles such a call. Back-off is exponential with jitter and
/// honours Retry-After. A full rate-limit queue and an open circuit are never retried: they fail fast.
/// </para>
/// <para>
/// Circuit breaker. It sees every attempt. Outages (exceptions, 5xx, isp.*) count as failures, throttling and
/// business refusals do not. While open, calls fail at once with Unavailable (Client.CircuitOpen) and are never
/// sent; it sits outside the rate limiter, so a call refused by an open circuit neither takes a permit nor waits.
/// </para>
/// <para>
/// Rate limiter. Inside the retry, so every attempt takes a permit of its action (<see cref="AliyunRateLimiters"/>).
/// </para>
/// </summary>
internal static class AliyunResilience
{
    public static string PipelineName(AliyunProduct product) => AliyunTelemetry.ProductTag(product);

    public static void Configure(
        ResiliencePipelineBuilder<HttpResponseMessage> builder,
        AliyunProduct product,
        AliyunOptions options,
        AliyunRateLimiters rateLimiters,
        AliyunTelemetry telemetry,
        ILogger logger)
    {
        var r = options.Resilience;

        builder.AddTimeout(new HttpTimeoutStrategyOptions { Name = "Total", Timeout = r.TotalTimeout });

        if (r.MaxRetryAttempts > 0)
        {
            builder.AddRetry(new HttpRetryStrategyOptions
            {
                Name = "Retry",
                MaxRetryAttempts = r.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = r.RetryBaseDelay,
                MaxDelay = r.RetryMaxDelay,
                ShouldRetryAfterHeader = true,
                ShouldHandle = args => ShouldRetryAsync(args.Outcome, AliyunCall.Of(args.Context.GetRequestMessage()), args.Context.CancellationToken),
                OnRetry = async args =>
                {
                    var action = AliyunCall.Of(args.Context.GetRequestMessage())?.Action ?? "?";
                    var reason = await DescribeAsync(args.Outcome, args.Context.CancellationToken);
                    AliyunLog.Retrying(logger, action, reason, args.AttemptNumber + 1, (long)args.RetryDelay.TotalMilliseconds);
                },
            });
        }

        builder.AddCircuitBreaker(new HttpCircuitBreakerStrategyOptions
        {
            Name = "CircuitBreaker",
            FailureRatio = r.CircuitFailureRatio,
            MinimumThroughput = r.CircuitMinimumThroughput,
            SamplingDuration = r.CircuitSamplingDuration,
            BreakDuration = r.CircuitBreakDuration,
            ShouldHandle = args => IsOutageAsync(args.Outcome, args.Context.CancellationToken),
            OnOpened = async args =>
            {
                telemetry.CircuitChanged(product, "opened");
                AliyunLog.CircuitOpened(logger, product, args.BreakDuration, await DescribeAsync(args.Outcome, args.Context.CancellationToken));
            },
            OnHalfOpened = _ =>
            {
                telemetry.CircuitChanged(product, "half_opened");
                AliyunLog.CircuitHalfOpened(logger, product);
                return ValueTask.CompletedTask;
            },
            OnClosed = _ =>
            {
                telemetry.CircuitChanged(product, "closed");
                AliyunLog.CircuitClosed(logger, product);
                return ValueTask.CompletedTask;
            },
        });

        builder.AddRateLimiter(new RateLimiterStrategyOptions
        {
            Name = "RateLimiter",
            RateLimiter = args => rateLimiters.AcquireAsync(product, ActionOf(args.Context), args.Context.CancellationToken),
        });

        builder.AddTimeout(new HttpTimeoutStrategyOptions
        {
            Name = "Attempt",
            TimeoutGenerator = args => ValueTask.FromResult(options.AttemptTimeoutFor(AliyunCall.Of(args.Context.GetRequestMessage())?.Action)),
        });
    }

    private static string ActionOf(ResilienceContext context) => AliyunCall.Of(context.GetRequestMessage())?.Action ?? "?";

    /// <summary>Whether one attempt's outcome may be repeated (see the class remarks).</summary>
    public static async ValueTask<bool> ShouldRetryAsync(Outcome<HttpResponseMessage> outcome, AliyunCall? call, CancellationToken cancellationToken)
    {
        var unknownOutcomeRetryable = call?.RetryAfterUnknownOutcome ?? false;
        switch (outcome.Exception)
        {
            case HttpRequestException e:
                return AliyunErrorMap.WasNotSent(e) || unknownOutcomeRetryable;
            case TimeoutRejectedException:
                return unknownOutcomeRetryable;
            case not null:
                return false; // an open circuit, the caller's cancellation or a bug: never retried
        }

        var response = outcome.Result!;
        if (response.StatusCode is HttpStatusCode.ServiceUnavailable or HttpStatusCode.TooManyRequests)
        {
            return true;
        }

        if (response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.OK)
        {
            return false;
        }

        var code = await PeekCodeAsync(response, cancellationToken);
        if (response.IsSuccessStatusCode && AliyunErrorMap.IsOk(code))
        {
            return false;
        }

        return AliyunErrorMap.Classify(response.StatusCode, code).Kind switch
        {
            ProviderErrorKind.Throttled => true,
            ProviderErrorKind.Unavailable => unknownOutcomeRetryable,
            _ => false,
        };
    }

    /// <summary>Whether an attempt's outcome says the provider is down (counts towards opening the circuit).</summary>
    public static async ValueTask<bool> IsOutageAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is not null)
        {
            return outcome.Exception is HttpRequestException or TimeoutRejectedException;
        }

        var response = outcome.Result!;
        if ((int)response.StatusCode >= 500)
        {
            return true;
        }

        var code = await PeekCodeAsync(response, cancellationToken);
        return !AliyunErrorMap.IsOk(code) && code is not null && AliyunErrorMap.Classify(code) == ProviderErrorKind.Unavailable;
    }

    /// <summary>The Code of a response body (buffered, so the client can still read it), or null.</summary>
    private static async ValueTask<string?> PeekCodeAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            return PopResponse.TryRead<PopResponse>(body)?.Code;
        }
        catch (Exception e) when (e is HttpRequestException or IOException)
        {
            return null; // the client meets the same failure when it reads the body, and maps it there
        }
    }

    private static async ValueTask<string> DescribeAsync(Outcome<HttpResponseMessage> outcome, CancellationToken cancellationToken)
    {
        if (outcome.Exception is { } exception)
        {
            return exception is HttpRequestException h ? $"{nameof(HttpRequestException)} ({h.HttpRequestError})" : exception.GetType().Name;
        }

        var response = outcome.Result!;
        var code = await PeekCodeAsync(response, cancellationToken);
        return $"HTTP {(int)response.StatusCode} {code ?? "(no code)"}";
    }
}
