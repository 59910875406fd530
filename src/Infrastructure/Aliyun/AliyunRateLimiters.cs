using System.Threading.RateLimiting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Client-side rate limits at the documented per-user QPS (docs/provider-rules.md R-QPS-1), one partitioned limiter per product,
/// partitioned by action, so that our own bursts wait in a bounded queue instead of being throttled by the
/// provider. Each action's limit is a token bucket refilled about every 100 ms (never more than its QPS per second
/// on average, at most a tenth of a second's worth at once); a call that finds the queue full fails fast as
/// Throttled (Client.RateLimited) without being sent. Actions with no documented QPS are not limited unless
/// configured ("Aliyun:Actions:&lt;Action&gt;:Qps"). Every attempt (retries included) takes a permit.
/// </summary>
internal sealed class AliyunRateLimiters : IDisposable
{
    private readonly PartitionedRateLimiter<string> dyplsapi;
    private readonly PartitionedRateLimiter<string> dytnsapi;
    private readonly AliyunTelemetry telemetry;
    private readonly ILogger logger;

    public AliyunRateLimiters(IOptions<AliyunOptions> options, AliyunTelemetry telemetry, ILogger<AliyunRateLimiters> logger)
    {
        this.telemetry = telemetry;
        this.logger = logger;
        var settings = options.Value;
        dyplsapi = PartitionedRateLimiter.Create<string, string>(action => Partition(settings, action));
        dytnsapi = PartitionedRateLimiter.Create<string, string>(action => Partition(settings, action));
    }

    /// <summary>A permit for one attempt of <paramref name="action"/>: at once, after waiting in the queue, or refused (not acquired).</summary>
    public async ValueTask<RateLimitLease> AcquireAsync(AliyunProduct product, string action, CancellationToken cancellationToken)
    {
        var limiter = product == AliyunProduct.Dytnsapi ? dytnsapi : dyplsapi;
        var lease = limiter.AttemptAcquire(action);
        if (lease.IsAcquired)
        {
            return lease;
        }

        lease.Dispose();
        lease = await limiter.AcquireAsync(action, 1, cancellationToken);
        if (lease.IsAcquired)
        {
            telemetry.RateLimited(product, action, "queued");
        }
        else
        {
            telemetry.RateLimited(product, action, "rejected");
            AliyunLog.RateLimitRejected(logger, action);
        }

        return lease;
    }

    public void Dispose()
    {
        dyplsapi.Dispose();
        dytnsapi.Dispose();
    }

    private static RateLimitPartition<string> Partition(AliyunOptions settings, string action)
    {
        if (settings.QpsFor(action) is not { } qps)
        {
            return RateLimitPartition.GetNoLimiter(action);
        }

        // qps/10 tokens every 100 ms (for qps >= 10), or 1 token every 1/qps s: the average never exceeds qps.
        var tokens = Math.Max(1, qps / 10);
        return RateLimitPartition.GetTokenBucketLimiter(action, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = tokens,
            TokensPerPeriod = tokens,
            ReplenishmentPeriod = TimeSpan.FromSeconds((double)tokens / qps),
            QueueLimit = settings.QueueLimitFor(action, qps),
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }
}
