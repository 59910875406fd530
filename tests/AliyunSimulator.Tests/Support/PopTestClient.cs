using System.Globalization;
using System.Text;
using BindingService.PopSignature;

namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>
/// A small signing client for the tests, built on <see cref="PopSigner"/>: adds the common parameters, signs with
/// the real HTTP method, and sends GET (query string) or POST (form body, standard form encoding: a space
/// becomes '+'). <see cref="PopCall"/> lets a test break any part of the request.
/// </summary>
public sealed class PopTestClient(HttpClient http, TimeProvider clock)
{
    public const string DefaultAccessKeyId = "simulator-access-key";
    public const string DefaultSecret = "simulator-access-secret";

    public Task<PopResponse> PostAsync(string action, params (string Name, string Value)[] parameters) =>
        SendAsync(new PopCall(action, parameters) { Method = HttpMethod.Post });

    public Task<PopResponse> GetAsync(string action, params (string Name, string Value)[] parameters) =>
        SendAsync(new PopCall(action, parameters) { Method = HttpMethod.Get });

    /// <summary>The parameters as they go on the wire, Signature included (after <see cref="PopCall.AfterSigning"/>).</summary>
    public Dictionary<string, string> Build(PopCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var p = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Action"] = call.Action,
            ["AccessKeyId"] = call.AccessKeyId,
            ["Format"] = call.Format,
            ["RegionId"] = "cn-hangzhou",
            ["SignatureMethod"] = PopSigner.SignatureMethod,
            ["SignatureNonce"] = call.Nonce ?? Guid.NewGuid().ToString(),
            ["SignatureVersion"] = PopSigner.SignatureVersion,
            ["Timestamp"] = (call.Timestamp ?? clock.GetUtcNow()).ToString(PopSigner.TimestampFormat, CultureInfo.InvariantCulture),
            ["Version"] = "2017-05-25",
        };
        foreach (var (name, value) in call.Parameters)
        {
            p[name] = value;
        }

        call.BeforeSigning?.Invoke(p);
        p["Signature"] = PopSigner.Sign(call.SignAs?.Method ?? call.Method.Method, p, call.Secret);
        call.AfterSigning?.Invoke(p);
        return p;
    }

    public async Task<PopResponse> SendAsync(PopCall call)
    {
        ArgumentNullException.ThrowIfNull(call);
        var p = Build(call);
        using var request = new HttpRequestMessage(call.Method, "/");
        if (call.Method == HttpMethod.Get)
        {
            request.RequestUri = new Uri("/?" + PopEncoded(p), UriKind.Relative);
        }
        else
        {
            request.Content = call.PopEncodedBody
                ? new StringContent(PopEncoded(p), Encoding.UTF8, "application/x-www-form-urlencoded")
                : new FormUrlEncodedContent(p);
        }

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        return new PopResponse(response.StatusCode, response.Content.Headers.ContentType?.MediaType, body);
    }

    /// <summary>RFC 3986 encoding (space as %20), as the service's own client sends it.</summary>
    public static string PopEncoded(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters.Select(p => PopSigner.Encode(p.Key) + "=" + PopSigner.Encode(p.Value)));
}

/// <summary>One call, with everything a test may want to get wrong on purpose.</summary>
public sealed record PopCall(string Action, params (string Name, string Value)[] Parameters)
{
    public HttpMethod Method { get; init; } = HttpMethod.Post;

    /// <summary>Sign for this method but send with <see cref="Method"/>.</summary>
    public HttpMethod? SignAs { get; init; }

    public string AccessKeyId { get; init; } = PopTestClient.DefaultAccessKeyId;

    public string Secret { get; init; } = PopTestClient.DefaultSecret;

    public string Format { get; init; } = "JSON";

    public string? Nonce { get; init; }

    public DateTimeOffset? Timestamp { get; init; }

    /// <summary>POST the body RFC 3986-encoded (%20 for a space) instead of standard form encoding ('+').</summary>
    public bool PopEncodedBody { get; init; }

    /// <summary>Change the full parameter set (common ones included) before it is signed.</summary>
    public Action<Dictionary<string, string>>? BeforeSigning { get; init; }

    /// <summary>Change the parameters after signing (tampering): the signature no longer covers what is sent.</summary>
    public Action<Dictionary<string, string>>? AfterSigning { get; init; }
}
