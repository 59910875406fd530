namespace BindingService.AliyunSimulator.Gateway;

/// <summary>
/// A POP gateway refusal (docs/provider-rules.md A.3): an HTTP 4xx with the body
/// <c>{RequestId, HostId, Code, Message, Recommend}</c>, raised before any business logic runs.
/// </summary>
public sealed record GatewayError(int HttpStatus, string Code, string Message)
{
    public static GatewayError Missing(string parameter) =>
        new(400, "Missing" + parameter, $"{parameter} is mandatory for this action.");

    public static GatewayError ApiNotFound { get; } =
        new(404, "InvalidApi.NotFound", "Specified api is not found, please check your url and method.");

    public static GatewayError AccessKeyNotFound { get; } =
        new(404, "InvalidAccessKeyId.NotFound", "Specified access key is not found.");

    public static GatewayError AccessKeyInactive { get; } =
        new(400, "InvalidAccessKeyId.Inactive", "Specified access key is disabled.");

    public static GatewayError TimestampFormat { get; } =
        new(400, "InvalidTimeStamp.Format", "Specified time stamp or date value is not well formatted.");

    public static GatewayError TimestampExpired { get; } =
        new(400, "InvalidTimeStamp.Expired", "Specified time stamp or date value is expired.");

    public static GatewayError NonceUsed { get; } =
        new(400, "SignatureNonceUsed", "Specified signature nonce was used already.");

    public static GatewayError SignatureDoesNotMatch { get; } =
        new(400, "SignatureDoesNotMatch", "Specified signature is not matched with our calculation.");

    public static GatewayError SignatureMethod { get; } =
        new(400, "InvalidSignatureMethod", "Specified signature method is not valid.");

    /// <summary>[sim] Not in A.3; named after the real gateway's pattern.</summary>
    public static GatewayError SignatureVersion { get; } =
        new(400, "InvalidSignatureVersion", "Specified signature version is not valid.");

    public static GatewayError Format { get; } =
        new(400, "InvalidParameter.Format", "Specified parameter format is not valid.");

    /// <summary>[sim] Not in A.3; named after the real gateway's pattern.</summary>
    public static GatewayError Version { get; } =
        new(400, "InvalidVersion", "Specified parameter Version is not valid.");

    /// <summary>[sim] A POST body that cannot be read as form data.</summary>
    public static GatewayError MalformedBody { get; } =
        new(400, "InvalidParameter", "The request body is not valid application/x-www-form-urlencoded data.");
}
