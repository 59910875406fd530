using System.Globalization;
using BindingService.AliyunSimulator.Actions;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Responses;
using BindingService.PopSignature;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Gateway;

/// <summary>What the gateway decided: the action's handler and caller, or the refusal, and the format to answer in.</summary>
public sealed record GatewayDecision(ResponseFormat Format, string Action, IActionHandler? Handler, string? AccessKeyId, GatewayError? Error);

/// <summary>
/// The POP gateway in front of every action (docs/provider-rules.md, 'Requests and responses', 'Signing', 'Calling layer', A.3). In order: Format,
/// the mandatory common parameters, Version, the Action, SignatureMethod/SignatureVersion, Timestamp (format,
/// then skew), AccessKeyId, the signature (computed with the request's real HTTP method over every parameter
/// received except Signature), and last the nonce, so that only a correctly signed request spends one; then the
/// action's own required parameters. Nothing here knows any business rule.
/// </summary>
public sealed class PopGateway
{
    public const string ApiVersion = "2017-05-25";

    private static readonly string[] MandatoryCommon =
        ["Action", "AccessKeyId", "Signature", "SignatureMethod", "SignatureNonce", "SignatureVersion", "Timestamp", "Version"];

    private static readonly string[] TimestampFormats = [PopSigner.TimestampFormat, "yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'"];

    private readonly IReadOnlyDictionary<string, IActionHandler> handlers;
    private readonly IReadOnlyDictionary<string, AccountOptions> accounts;
    private readonly TimeSpan tolerance;
    private readonly TimeProvider timeProvider;
    private readonly NonceCache nonces;

    public PopGateway(IEnumerable<IActionHandler> handlers, IOptions<SimulatorOptions> options, TimeProvider timeProvider, NonceCache nonces)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.handlers = handlers.ToDictionary(h => h.Action, StringComparer.Ordinal);
        accounts = options.Value.Accounts.ToDictionary(a => a.AccessKeyId, StringComparer.Ordinal);
        tolerance = TimeSpan.FromMinutes(options.Value.TimestampToleranceMinutes);
        this.timeProvider = timeProvider;
        this.nonces = nonces;
    }

    /// <summary>The actions this simulator implements, by wire name.</summary>
    public IEnumerable<string> Actions => handlers.Keys;

    public GatewayDecision Check(string httpMethod, IReadOnlyDictionary<string, string> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var action = parameters.GetValueOrDefault("Action") ?? string.Empty;

        ResponseFormat format;
        switch (parameters.GetValueOrDefault("Format"))
        {
            case null or "":
            case { } json when json.Equals("JSON", StringComparison.OrdinalIgnoreCase):
                format = ResponseFormat.Json;
                break;
            case { } xml when xml.Equals("XML", StringComparison.OrdinalIgnoreCase):
                format = ResponseFormat.Xml;
                break;
            default:
                return Refuse(ResponseFormat.Json, GatewayError.Format);
        }

        GatewayDecision Refuse(ResponseFormat f, GatewayError error) => new(f, action, null, null, error);

        if (MandatoryCommon.FirstOrDefault(name => string.IsNullOrEmpty(parameters.GetValueOrDefault(name))) is { } missing)
        {
            return Refuse(format, GatewayError.Missing(missing));
        }

        // Each product has its own version (Dyplsapi 2017-05-25, Dytnsapi 2020-02-17): an action asked for under
        // another product's version is an invalid version, as it would be at that product's endpoint.
        handlers.TryGetValue(action, out var handler);
        if (!string.Equals(parameters["Version"], handler?.Version ?? ApiVersion, StringComparison.Ordinal))
        {
            return Refuse(format, GatewayError.Version);
        }

        if (handler is null)
        {
            return Refuse(format, GatewayError.ApiNotFound);
        }

        if (!string.Equals(parameters["SignatureMethod"], PopSigner.SignatureMethod, StringComparison.Ordinal))
        {
            return Refuse(format, GatewayError.SignatureMethod);
        }

        if (!string.Equals(parameters["SignatureVersion"], PopSigner.SignatureVersion, StringComparison.Ordinal))
        {
            return Refuse(format, GatewayError.SignatureVersion);
        }

        if (!DateTimeOffset.TryParseExact(
                parameters["Timestamp"], TimestampFormats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var timestamp))
        {
            return Refuse(format, GatewayError.TimestampFormat);
        }

        if ((timeProvider.GetUtcNow() - timestamp).Duration() > tolerance)
        {
            return Refuse(format, GatewayError.TimestampExpired);
        }

        var accessKeyId = parameters["AccessKeyId"];
        if (!accounts.TryGetValue(accessKeyId, out var account))
        {
            return Refuse(format, GatewayError.AccessKeyNotFound);
        }

        if (!account.Enabled)
        {
            return Refuse(format, GatewayError.AccessKeyInactive);
        }

        if (!PopSigner.Verify(httpMethod.ToUpperInvariant(), parameters, account.AccessKeySecret, parameters["Signature"]))
        {
            return Refuse(format, GatewayError.SignatureDoesNotMatch);
        }

        if (!nonces.TryClaim(accessKeyId, parameters["SignatureNonce"]))
        {
            return Refuse(format, GatewayError.NonceUsed);
        }

        if (handler.RequiredParameters.FirstOrDefault(name => string.IsNullOrWhiteSpace(parameters.GetValueOrDefault(name))) is { } missingBusiness)
        {
            return Refuse(format, GatewayError.Missing(missingBusiness));
        }

        return new GatewayDecision(format, action, handler, accessKeyId, null);
    }
}
