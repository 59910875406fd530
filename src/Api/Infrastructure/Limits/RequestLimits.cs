using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Http.Timeouts;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace BindingService.Api.Infrastructure.Limits;

/// <summary>
/// What one request and one caller may cost (<see cref="LimitsOptions"/>): a request body limit (413), a request
/// timeout (504), a token bucket per caller and route group (429 with Retry-After) and a concurrency limit for the
/// instance (503 <c>server.busy</c>). Health endpoints are exempt from all but the body limit.
/// </summary>
public static class RequestLimits
{
    /// <summary>The route groups that have their own buckets; each is a rate-limiter policy name.</summary>
    public static readonly IReadOnlyList<string> Groups = ["rides", "deliveries", "bindings", "admin"];

    public static WebApplicationBuilder AddRequestLimits(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(LimitsOptions.SectionName);
        builder.Services.AddOptions<LimitsOptions>().Bind(section).ValidateDataAnnotations().ValidateOnStart();

        // Kestrel refuses a larger body as it streams in (chunked bodies included); the middleware below answers a
        // declared Content-Length at once, with a problem body.
        var maxBody = section.GetValue<long?>(nameof(LimitsOptions.MaxRequestBodyBytes)) ?? new LimitsOptions().MaxRequestBodyBytes;
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.Limits.MaxRequestBodySize = maxBody);

        builder.Services.AddRequestTimeouts();
        builder.Services.AddOptions<RequestTimeoutOptions>().Configure<IOptions<LimitsOptions>>((timeouts, limits) =>
            timeouts.DefaultPolicy = new RequestTimeoutPolicy
            {
                Timeout = limits.Value.RequestTimeout,
                TimeoutStatusCode = StatusCodes.Status504GatewayTimeout,
                WriteTimeoutResponse = context => ProblemResponses.WriteAsync(
                    context, StatusCodes.Status504GatewayTimeout, "request.timeout",
                    $"The request did not finish within {limits.Value.RequestTimeout.TotalSeconds:0.#} s. A change may still complete: read the resource before retrying, or retry with the same Idempotency-Key."),
            });

        builder.Services.AddRateLimiter(_ => { });
        builder.Services.AddOptions<RateLimiterOptions>().Configure<IOptionsMonitor<LimitsOptions>>((rateLimiter, limits) =>
        {
            rateLimiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(_ => RateLimitPartition.GetConcurrencyLimiter(
                "instance",
                _ => new ConcurrencyLimiterOptions
                {
                    PermitLimit = limits.CurrentValue.MaxConcurrentRequests,
                    QueueLimit = limits.CurrentValue.ConcurrencyQueueLimit,
                    QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
                }));
            foreach (var group in Groups)
            {
                rateLimiter.AddPolicy(group, context =>
                {
                    var caller = context.RequestServices.GetRequiredService<CallerContext>().CallerId;
                    return RateLimitPartition.GetTokenBucketLimiter((caller, group), key =>
                    {
                        var bucket = limits.CurrentValue.RateLimits.For(key.caller, key.group);
                        return new TokenBucketRateLimiterOptions
                        {
                            TokenLimit = bucket.TokenLimit,
                            TokensPerPeriod = bucket.TokensPerPeriod,
                            ReplenishmentPeriod = bucket.ReplenishmentPeriod,
                            QueueLimit = 0,
                            AutoReplenishment = true,
                        };
                    });
                });
            }

            rateLimiter.OnRejected = (context, _) => context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter)
                ? new ValueTask(ProblemResponses.WriteAsync(
                    context.HttpContext, StatusCodes.Status429TooManyRequests, "rate_limited",
                    "This caller has sent more requests than its quota for this kind of operation allows. Retry after the time in Retry-After.",
                    retryAfter: retryAfter))
                : new ValueTask(ProblemResponses.WriteAsync(
                    context.HttpContext, StatusCodes.Status503ServiceUnavailable, "server.busy",
                    "This instance is serving as many requests as it may. Retry shortly.",
                    retryAfter: TimeSpan.FromSeconds(1)));
        });

        return builder;
    }

    /// <summary>
    /// Answers 413 for a declared body larger than the limit, before anything reads it. After routing: an endpoint may
    /// declare its own limit (<see cref="IRequestSizeLimitMetadata"/>, e.g. the provider's receipt batches), which
    /// routing also gives Kestrel for bodies without a declared length.
    /// </summary>
    public static IApplicationBuilder UseRequestBodyLimit(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        return app.Use(async (context, next) =>
        {
            var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize
                ?? context.RequestServices.GetRequiredService<IOptions<LimitsOptions>>().Value.MaxRequestBodyBytes;
            if (context.Request.ContentLength > limit)
            {
                await ProblemResponses.WriteAsync(
                    context, StatusCodes.Status413PayloadTooLarge, "request.too_large",
                    $"The request body is larger than the {limit} bytes this service accepts.");
                return;
            }

            await next(context);
        });
    }
}
