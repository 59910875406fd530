using System.Globalization;
using System.Text;
using BindingService.PopSignature;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Aliyun;

/// <summary>
/// Signs every attempt of a POP RPC call (docs/provider-rules.md, 'Requests and responses', 'Signing'). It sits inside the resilience pipeline, so a
/// retried attempt gets a fresh SignatureNonce and Timestamp (the gateway refuses a reused nonce). A POST
/// carries the signed parameters as an application/x-www-form-urlencoded body (so phone numbers never appear in
/// a URL); a GET carries them in the query string. Each product signs with its own access key
/// (<see cref="AliyunOptions.CredentialsFor"/>) and version.
/// </summary>
internal sealed class PopSigningHandler(IOptionsMonitor<AliyunOptions> options, TimeProvider timeProvider) : DelegatingHandler
{
    public const string FormContentType = "application/x-www-form-urlencoded";

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var call = AliyunCall.Of(request)
            ?? throw new InvalidOperationException("An Aliyun request must carry its AliyunCall; nothing unsigned is sent.");
        var o = options.CurrentValue;
        var (accessKeyId, accessKeySecret) = o.CredentialsFor(call.Product);
        var parameters = new List<KeyValuePair<string, string>>(call.Parameters.Count + 9)
        {
            new("Action", call.Action),
            new("AccessKeyId", accessKeyId),
            new("Format", "JSON"),
            new("RegionId", o.RegionId),
            new("SignatureMethod", PopSigner.SignatureMethod),
            new("SignatureNonce", Guid.NewGuid().ToString()),
            new("SignatureVersion", PopSigner.SignatureVersion),
            new("Timestamp", timeProvider.GetUtcNow().ToString(PopSigner.TimestampFormat, CultureInfo.InvariantCulture)),
            new("Version", call.Version),
        };
        parameters.AddRange(call.Parameters);

        var method = request.Method == HttpMethod.Get ? "GET" : request.Method == HttpMethod.Post ? "POST"
            : throw new InvalidOperationException("POP RPC calls are GET or POST.");
        // Exactly the canonical string: its %20 for a space is valid form encoding too, and what we signed is
        // byte for byte what we send.
        var signed = PopSigner.SignedQuery(method, parameters, accessKeySecret);
        if (method == "GET")
        {
            request.Content?.Dispose();
            request.Content = null;
            request.RequestUri = new UriBuilder(request.RequestUri ?? (call.Product == AliyunProduct.Dytnsapi ? o.Dytnsapi.Endpoint : o.Endpoint)) { Query = signed }.Uri;
        }
        else
        {
            // A new content per attempt: the previous attempt's body was signed with a nonce now spent.
            request.Content?.Dispose();
            request.Content = new StringContent(signed, Encoding.UTF8, FormContentType);
        }

        call.MarkSent();
        return base.SendAsync(request, cancellationToken);
    }
}
