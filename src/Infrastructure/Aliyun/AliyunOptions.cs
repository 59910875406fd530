using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Configuration section "Aliyun": where and as whom we call Dyplsapi (and, under "Aliyun:Dytnsapi", Dytnsapi), how
/// patiently, and how fast (per action, under "Aliyun:Actions:&lt;Action&gt;").
/// The secret comes from the environment (<c>Aliyun__AccessKeySecret</c>), never from a committed file.
/// </summary>
public sealed class AliyunOptions
{
    public const string SectionName = "Aliyun";

    /// <summary>The POP RPC endpoint. Every action is posted to this URI.</summary>
    public Uri Endpoint { get; set; } = new("https://dyplsapi.aliyuncs.com/");

    public string AccessKeyId { get; set; } = string.Empty;

    public string AccessKeySecret { get; set; } = string.Empty;

    public string RegionId { get; set; } = "cn-hangzhou";

    /// <summary>The default pool, used when a request names none (AXB).</summary>
    public string PoolKey { get; set; } = string.Empty;

    /// <summary>Timeout of one attempt (one HTTP exchange).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Offset of the provider's business times (<c>Expiration</c>, <c>ExpireDate</c>, <c>GmtCreate</c>) from UTC.</summary>
    public int ChinaUtcOffsetHours { get; set; } = 8;

    /// <summary>Retry, circuit-breaker and overall timeout settings.</summary>
    public AliyunResilienceOptions Resilience { get; set; } = new();

    /// <summary>Section "Aliyun:Dytnsapi": PhoneNumberEncrypt's endpoint and credentials.</summary>
    public DytnsapiOptions Dytnsapi { get; set; } = new();

    /// <summary>
    /// Per-action overrides by exact action name ("Aliyun:Actions:BindAxb:Timeout"). Actions not listed use
    /// <see cref="RequestTimeout"/> and their documented QPS (R-QPS-1).
    /// </summary>
    public Dictionary<string, AliyunActionOptions> Actions { get; set; } = new(StringComparer.Ordinal);

    internal ChinaTime CreateChinaTime() => new(TimeSpan.FromHours(ChinaUtcOffsetHours));

    /// <summary>The access key a product signs with: Dytnsapi's own, or Dyplsapi's when Dytnsapi's id or secret is blank.</summary>
    internal (string AccessKeyId, string AccessKeySecret) CredentialsFor(AliyunProduct product) =>
        product == AliyunProduct.Dytnsapi && !string.IsNullOrWhiteSpace(Dytnsapi.AccessKeyId) && !string.IsNullOrWhiteSpace(Dytnsapi.AccessKeySecret)
            ? (Dytnsapi.AccessKeyId, Dytnsapi.AccessKeySecret)
            : (AccessKeyId, AccessKeySecret);

    /// <summary>The timeout of one attempt of <paramref name="action"/>.</summary>
    internal TimeSpan AttemptTimeoutFor(string? action) =>
        action is not null && Actions.TryGetValue(action, out var a) && a.Timeout is { } timeout ? timeout : RequestTimeout;

    /// <summary>The client-side limit of <paramref name="action"/> in calls per second, or null for none (0 configured, or none documented).</summary>
    internal int? QpsFor(string action)
    {
        var qps = Actions.TryGetValue(action, out var a) && a.Qps is { } configured
            ? configured
            : AliyunActions.All.TryGetValue(action, out var info) ? info.DocumentedQps : null;
        return qps is > 0 ? qps : null;
    }

    /// <summary>How many calls of <paramref name="action"/> may wait for a permit: configured, else one second of its QPS.</summary>
    internal int QueueLimitFor(string action, int qps) =>
        Actions.TryGetValue(action, out var a) && a.QueueLimit is { } limit ? limit : qps;
}

/// <summary>
/// Section "Aliyun:Dytnsapi" (docs/provider-rules.md, 'Endpoint and version'). When <see cref="AccessKeyId"/> or <see cref="AccessKeySecret"/> is
/// blank, Dytnsapi calls are signed with the Dyplsapi key ("Aliyun:AccessKeyId"/"Aliyun:AccessKeySecret"): one
/// RAM user may hold both permissions. Its secret, when separate, comes from the environment
/// (<c>Aliyun__Dytnsapi__AccessKeySecret</c>).
/// </summary>
public sealed class DytnsapiOptions
{
    public Uri Endpoint { get; set; } = new("https://dytnsapi.aliyuncs.com/");

    public string AccessKeyId { get; set; } = string.Empty;

    public string AccessKeySecret { get; set; } = string.Empty;
}

/// <summary>Section "Aliyun:Actions:&lt;Action&gt;": one action's overrides. Unset values keep the defaults.</summary>
public sealed class AliyunActionOptions
{
    /// <summary>Timeout of one attempt; default <see cref="AliyunOptions.RequestTimeout"/>.</summary>
    public TimeSpan? Timeout { get; set; }

    /// <summary>Client-side limit in calls per second; default the documented QPS (R-QPS-1); 0 disables the limit.</summary>
    public int? Qps { get; set; }

    /// <summary>Calls that may wait for a permit when the limit is reached (more fail fast as Throttled); default one second of <see cref="Qps"/>.</summary>
    public int? QueueLimit { get; set; }
}

/// <summary>Section "Aliyun:Resilience".</summary>
public sealed class AliyunResilienceOptions
{
    /// <summary>Upper bound on one call including all its attempts and back-off delays.</summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Retries after the first attempt (0 disables retrying).</summary>
    public int MaxRetryAttempts { get; set; } = 2;

    /// <summary>Base of the jittered exponential back-off.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>Longest back-off, also caps a provider's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Share of failed attempts within <see cref="CircuitSamplingDuration"/> that opens the circuit.</summary>
    public double CircuitFailureRatio { get; set; } = 0.5;

    /// <summary>Attempts needed within the sampling window before the ratio is considered.</summary>
    public int CircuitMinimumThroughput { get; set; } = 20;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long an open circuit fails calls fast before letting a probe through.</summary>
    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(15);
}

/// <summary>Checks <see cref="AliyunOptions"/> at start-up (ValidateOnStart), with Polly's own limits.</summary>
internal sealed class AliyunOptionsValidator : IValidateOptions<AliyunOptions>
{
    public ValidateOptionsResult Validate(string? name, AliyunOptions options)
    {
        var failures = new List<string>();
        if (options.Endpoint is not { IsAbsoluteUri: true } endpoint || (endpoint.Scheme != Uri.UriSchemeHttps && endpoint.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Aliyun:Endpoint must be an absolute http(s) URI.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessKeyId))
        {
            failures.Add("Aliyun:AccessKeyId is required.");
        }

        if (string.IsNullOrWhiteSpace(options.AccessKeySecret))
        {
            failures.Add("Aliyun:AccessKeySecret is required (set it from the environment: Aliyun__AccessKeySecret).");
        }

        if (string.IsNullOrWhiteSpace(options.PoolKey))
        {
            failures.Add("Aliyun:PoolKey is required.");
        }

        if (string.IsNullOrWhiteSpace(options.RegionId))
        {
            failures.Add("Aliyun:RegionId is required.");
        }

        if (options.ChinaUtcOffsetHours is < -12 or > 14)
        {
            failures.Add("Aliyun:ChinaUtcOffsetHours must be between -12 and 14.");
        }

        if (options.RequestTimeout <= TimeSpan.FromMilliseconds(10) || options.RequestTimeout > TimeSpan.FromMinutes(5))
        {
            failures.Add("Aliyun:RequestTimeout must be more than 10 ms and at most 5 minutes.");
        }

        if (options.Dytnsapi is not { Endpoint: { IsAbsoluteUri: true } dytnsapi } || (dytnsapi.Scheme != Uri.UriSchemeHttps && dytnsapi.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("Aliyun:Dytnsapi:Endpoint must be an absolute http(s) URI.");
        }

        var r = options.Resilience;
        if (r is null)
        {
            failures.Add("Aliyun:Resilience is required.");
            return ValidateOptionsResult.Fail(failures);
        }

        if (r.TotalTimeout < options.RequestTimeout || r.TotalTimeout > TimeSpan.FromMinutes(10))
        {
            failures.Add("Aliyun:Resilience:TotalTimeout must be at least Aliyun:RequestTimeout and at most 10 minutes.");
        }

        if (r.MaxRetryAttempts is < 0 or > 10)
        {
            failures.Add("Aliyun:Resilience:MaxRetryAttempts must be between 0 and 10.");
        }

        if (r.RetryBaseDelay < TimeSpan.Zero || r.RetryMaxDelay < r.RetryBaseDelay)
        {
            failures.Add("Aliyun:Resilience:RetryBaseDelay must not be negative nor above RetryMaxDelay.");
        }

        if (r.CircuitFailureRatio is <= 0 or > 1)
        {
            failures.Add("Aliyun:Resilience:CircuitFailureRatio must be in (0, 1].");
        }

        if (r.CircuitMinimumThroughput < 2)
        {
            failures.Add("Aliyun:Resilience:CircuitMinimumThroughput must be at least 2.");
        }

        if (r.CircuitSamplingDuration < TimeSpan.FromMilliseconds(500) || r.CircuitBreakDuration < TimeSpan.FromMilliseconds(500))
        {
            failures.Add("Aliyun:Resilience:CircuitSamplingDuration and CircuitBreakDuration must be at least 500 ms.");
        }

        foreach (var (action, settings) in options.Actions ?? [])
        {
            if (!AliyunActions.All.ContainsKey(action))
            {
                failures.Add($"Aliyun:Actions:{action} is not an action the client knows (names are case-sensitive, e.g. BindAxb).");
                continue;
            }

            if (settings.Timeout is { } timeout && (timeout <= TimeSpan.FromMilliseconds(10) || timeout > r.TotalTimeout))
            {
                failures.Add($"Aliyun:Actions:{action}:Timeout must be more than 10 ms and at most Aliyun:Resilience:TotalTimeout.");
            }

            if (settings.Qps is < 0)
            {
                failures.Add($"Aliyun:Actions:{action}:Qps must not be negative (0 disables the limit).");
            }

            if (settings.QueueLimit is < 0)
            {
                failures.Add($"Aliyun:Actions:{action}:QueueLimit must not be negative.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
