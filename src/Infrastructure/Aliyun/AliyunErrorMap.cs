using System.Diagnostics.CodeAnalysis;
using System.Net;
using BindingService.Application.Abstractions;
using Polly.CircuitBreaker;
using Polly.RateLimiting;
using Polly.Timeout;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// The one place that turns what Aliyun (or the network) said into a <see cref="ProviderError"/>.
/// Only the code is kept: the provider's Message never leaves the adapter.
/// </summary>
internal static class AliyunErrorMap
{
    public const string Ok = "OK";

    /// <summary>Codes we make up when the provider gave none (prefixed so they never pass for a provider code).</summary>
    public static class ClientCodes
    {
        public const string Timeout = "Client.Timeout";
        public const string ConnectionFailed = "Client.ConnectionFailed";
        public const string ConnectionLost = "Client.ConnectionLost";
        public const string CircuitOpen = "Client.CircuitOpen";
        public const string RateLimited = "Client.RateLimited";
        public const string MalformedResponse = "Client.MalformedResponse";

        /// <summary>The request breaks a documented rule and was refused before sending (<see cref="PopRequest{TResponse}.BrokenRule"/>).</summary>
        public const string InvalidRequest = "Client.InvalidRequest";

        public static string Http(int status) => $"Http.{status}";
    }

    private const int MaxCodeLength = 100;

    private static readonly Dictionary<string, ProviderErrorKind> Exact = new(StringComparer.Ordinal)
    {
        ["isv.NO_AVAILABLE_NUMBER"] = ProviderErrorKind.NoNumberAvailable,
        ["isv.BIND_CONFLICT"] = ProviderErrorKind.BindConflict,
        ["isv.SUBS_NOT_EXIST"] = ProviderErrorKind.SubscriptionNotFound,
        ["isv.EXPIRE_DATE_ILLEGAL"] = ProviderErrorKind.ExpiryIllegal,
        ["isv.MOBILE_NUMBER_ILLEGAL"] = ProviderErrorKind.PhoneNumberIllegal,
        ["isv.INVALID_PARAMETERS"] = ProviderErrorKind.InvalidRequest,
        ["isv.ILLEGAL_ARGUMENT"] = ProviderErrorKind.InvalidRequest,
        ["isv.FORBIDDEN_ACTION"] = ProviderErrorKind.Forbidden,
        ["isv.NO_NOT_EXIST"] = ProviderErrorKind.Forbidden,
        // The pool does not exist: ProductUnsubscribe is documented with the same message as PoolKeyNotFound ("The
        // specified poolKey does not exist.", docs/provider-rules.md R-ERR-1), so all three are a misconfigured pool.
        ["isv.POOLKEY_NOT_EXISTS"] = ProviderErrorKind.PoolNotFound,
        ["PoolKeyNotFound"] = ProviderErrorKind.PoolNotFound,
        ["ProductUnsubscribe"] = ProviderErrorKind.PoolNotFound,
        ["isv.FLOW_LIMIT"] = ProviderErrorKind.Throttled,
        ["FlowLimited"] = ProviderErrorKind.Throttled,
        ["System.LimitControl"] = ProviderErrorKind.Throttled,
        // Documented codes of the other actions (docs/provider-rules.md A.1, A.2).
        ["InvalidJsonParam"] = ProviderErrorKind.InvalidRequest,
        ["ContentUnsupported"] = ProviderErrorKind.InvalidRequest,
        ["SmsContentIllegal"] = ProviderErrorKind.Forbidden,
        ["SmsSignIllegal"] = ProviderErrorKind.Forbidden,
        ["SmartSmsContentNotWhite"] = ProviderErrorKind.Forbidden,
        ["BlackKeyControlLimit"] = ProviderErrorKind.Forbidden,
        ["isv.BUY_NUM_OVER_LIMIT"] = ProviderErrorKind.Forbidden,
        ["isv.UPDATE_CONFLICT"] = ProviderErrorKind.BindConflict,
        // Our account or configuration is wrong: no retry helps until an operator acts.
        ["AuthCodeIllegal"] = ProviderErrorKind.AuthenticationFailed,
        ["Product.Unsubscript"] = ProviderErrorKind.AuthenticationFailed,
        ["Unknown.ResourceOwnerId"] = ProviderErrorKind.AuthenticationFailed,
        ["isv.PRODUCT_UN_SUBSCRIPT"] = ProviderErrorKind.AuthenticationFailed,
        ["isv.PRODUCT_UNSUBSCRIBE"] = ProviderErrorKind.AuthenticationFailed,
        ["isv.OUT_OF_SERVICE"] = ProviderErrorKind.AuthenticationFailed,
        ["isv.ACCOUNT_NOT_EXISTS"] = ProviderErrorKind.AuthenticationFailed,
        ["isv.ACCOUNT_ABNORMAL"] = ProviderErrorKind.AuthenticationFailed,
        ["InternalError"] = ProviderErrorKind.Unavailable,
        ["RequestTimeout"] = ProviderErrorKind.Unavailable,
        ["SignatureDoesNotMatch"] = ProviderErrorKind.AuthenticationFailed,
        ["SignatureNonceUsed"] = ProviderErrorKind.AuthenticationFailed,
    };

    /// <summary>Maps a provider code (business or gateway) to our kind. Case-sensitive, as the codes are.</summary>
    public static ProviderErrorKind Classify(string code)
    {
        if (Exact.TryGetValue(code, out var kind))
        {
            return kind;
        }

        // Authentication before isp.*: isp.RAM_PERMISSION_DENIED is a permission problem, not an outage.
        if (code.StartsWith("InvalidAccessKeyId", StringComparison.Ordinal)
            || code.StartsWith("InvalidTimeStamp", StringComparison.Ordinal)
            || code.StartsWith("Ram.", StringComparison.Ordinal)
            || code.Contains("PERMISSION", StringComparison.OrdinalIgnoreCase))
        {
            return ProviderErrorKind.AuthenticationFailed;
        }

        if (code.StartsWith("Throttling", StringComparison.Ordinal))
        {
            return ProviderErrorKind.Throttled;
        }

        if (code.StartsWith("Missing", StringComparison.Ordinal) || code.StartsWith("InvalidParameter", StringComparison.Ordinal))
        {
            return ProviderErrorKind.InvalidRequest;
        }

        if (code.StartsWith("isp.", StringComparison.Ordinal))
        {
            return ProviderErrorKind.Unavailable;
        }

        return ProviderErrorKind.Unknown;
    }

    /// <summary>
    /// Kind of a response that is not a success. A code wins over the status, except that an unknown code on a
    /// 5xx is still an outage. Without a code, the status decides.
    /// </summary>
    public static (ProviderErrorKind Kind, string Code) Classify(HttpStatusCode status, string? code)
    {
        var s = (int)status;
        if (!string.IsNullOrWhiteSpace(code) && !IsOk(code))
        {
            code = Sanitize(code);
            var kind = Classify(code);
            return (kind == ProviderErrorKind.Unknown && s >= 500 ? ProviderErrorKind.Unavailable : kind, code);
        }

        if (s is >= 200 and < 300)
        {
            // 2xx with no code, or OK without the payload the action promises: we cannot tell what happened.
            return (ProviderErrorKind.Unknown, ClientCodes.MalformedResponse);
        }

        var byStatus = s switch
        {
            429 => ProviderErrorKind.Throttled,
            408 or >= 500 => ProviderErrorKind.Unavailable,
            401 or 403 => ProviderErrorKind.AuthenticationFailed,
            _ => ProviderErrorKind.Unknown,
        };
        return (byStatus, ClientCodes.Http(s));
    }

    /// <summary>
    /// A failed response as our error. <paramref name="mutating"/>: the action changes provider state, so an
    /// answer that does not say whether it did (a 5xx other than 503, a 2xx we cannot read) is OutcomeUnknown.
    /// </summary>
    public static ProviderError FromResponse(HttpStatusCode status, string? code, bool mutating)
    {
        var (kind, mapped) = Classify(status, code);
        var s = (int)status;
        var ambiguous = (s >= 500 && s != 503 && kind is ProviderErrorKind.Unavailable or ProviderErrorKind.Unknown)
            || mapped == ClientCodes.MalformedResponse;
        return new ProviderError(kind, mapped, OutcomeUnknown: mutating && ambiguous);
    }

    /// <summary>
    /// A call that ended in an exception (after the resilience pipeline) as our error, or false for exceptions that
    /// are bugs and must propagate. Caller cancellation is handled by the caller before this.
    /// </summary>
    public static bool TryFromException(Exception exception, bool mutating, [NotNullWhen(true)] out ProviderError? error)
    {
        error = exception switch
        {
            BrokenCircuitException => new ProviderError(ProviderErrorKind.Unavailable, ClientCodes.CircuitOpen),
            RateLimiterRejectedException => new ProviderError(ProviderErrorKind.Throttled, ClientCodes.RateLimited),
            TimeoutRejectedException or OperationCanceledException => new ProviderError(ProviderErrorKind.Unavailable, ClientCodes.Timeout, OutcomeUnknown: mutating),
            HttpRequestException e when WasNotSent(e) => new ProviderError(ProviderErrorKind.Unavailable, ClientCodes.ConnectionFailed),
            HttpRequestException or IOException => new ProviderError(ProviderErrorKind.Unavailable, ClientCodes.ConnectionLost, OutcomeUnknown: mutating),
            _ => null,
        };
        return error is not null;
    }

    /// <summary>
    /// True when the request never reached the provider: no connection could be made (refused, DNS, TLS, proxy).
    /// Anything else (the connection dropped while we waited for the answer) may have been applied.
    /// </summary>
    public static bool WasNotSent(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.ConnectionError
            or HttpRequestError.NameResolutionError
            or HttpRequestError.SecureConnectionError
            or HttpRequestError.ProxyTunnelError;

    public static bool IsOk(string? code) => string.Equals(code, Ok, StringComparison.OrdinalIgnoreCase);

    private static string Sanitize(string code)
    {
        code = code.Trim();
        return code.Length <= MaxCodeLength ? code : code[..MaxCodeLength];
    }
}
