using System.Net;
using System.Text;

namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>One request as it left the client (after signing), with its form body decoded.</summary>
internal sealed record CapturedRequest(HttpMethod Method, Uri Uri, string? ContentType, string? Body)
{
    /// <summary>The form body (POST) or the query (GET) as decoded pairs, in sent order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Pairs { get; } = Decode(Method == HttpMethod.Get ? Uri.Query.TrimStart('?') : Body);

    public string this[string name] => Pairs.Single(p => p.Key == name).Value;

    public bool Has(string name) => Pairs.Any(p => p.Key == name);

    public IReadOnlyList<KeyValuePair<string, string>> WithoutSignature => Pairs.Where(p => p.Key != "Signature").ToList();

    private static List<KeyValuePair<string, string>> Decode(string? form) =>
        string.IsNullOrEmpty(form)
            ? []
            : form.Split('&').Select(pair =>
            {
                var i = pair.IndexOf('=', StringComparison.Ordinal);
                return new KeyValuePair<string, string>(
                    Uri.UnescapeDataString(pair[..i].Replace('+', ' ')),
                    Uri.UnescapeDataString(pair[(i + 1)..].Replace('+', ' ')));
            }).ToList();
}

/// <summary>
/// The primary handler of the client under test: records what the real signing handler produced and answers
/// from a script (the n-th call gets the n-th answer, the last one repeats).
/// </summary>
internal sealed class StubHandler : HttpMessageHandler
{
    private readonly List<CapturedRequest> requests = [];
    private readonly List<Func<CapturedRequest, CancellationToken, Task<HttpResponseMessage>>> script = [];

    public Action<CapturedRequest>? OnRequest { get; set; }

    public IReadOnlyList<CapturedRequest> Requests
    {
        get
        {
            lock (requests)
            {
                return requests.ToList();
            }
        }
    }

    public int Calls => Requests.Count;

    public StubHandler Then(Func<CapturedRequest, CancellationToken, Task<HttpResponseMessage>> answer)
    {
        script.Add(answer);
        return this;
    }

    public StubHandler ThenJson(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        Then((_, _) => Task.FromResult(Json(json, status)));

    public StubHandler ThenText(string text, HttpStatusCode status) =>
        Then((_, _) => Task.FromResult(new HttpResponseMessage(status) { Content = new StringContent(text, Encoding.UTF8, "text/html") }));

    /// <summary>Never answers: the attempt ends only by its timeout (or the caller's cancellation).</summary>
    public StubHandler ThenHang() =>
        Then(async (_, cancellationToken) =>
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            throw new InvalidOperationException("unreachable");
        });

    public StubHandler ThenThrow(HttpRequestError error) =>
        Then((_, _) => Task.FromException<HttpResponseMessage>(new HttpRequestException(error, $"simulated {error}")));

    public static HttpResponseMessage Json(string json, HttpStatusCode status = HttpStatusCode.OK) =>
        new(status) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var body = request.Content is null ? null : await request.Content.ReadAsStringAsync(cancellationToken);
        var captured = new CapturedRequest(request.Method, request.RequestUri!, request.Content?.Headers.ContentType?.ToString(), body);
        int n;
        lock (requests)
        {
            requests.Add(captured);
            n = requests.Count;
        }

        OnRequest?.Invoke(captured);
        if (script.Count == 0)
        {
            throw new InvalidOperationException("The stub has no scripted answer.");
        }

        return await script[Math.Min(n, script.Count) - 1](captured, cancellationToken);
    }
}
