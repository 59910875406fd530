using System.Net;
using System.Security.Cryptography;
using System.Text;
using BindingService.Api.Infrastructure;
using BindingService.Api.OpenApi;
using BindingService.Application.Calls;
using Microsoft.Extensions.Options;

namespace BindingService.Api.Endpoints;

/// <summary>
/// The provider's call receipts (docs/receipts.md): <c>POST /v1/provider-receipts/{type}</c>, where type is the
/// provider's message type (SecretStartReport, SecretReport, SecretRecording, …) and the body a JSON array of such
/// messages. Anonymous as far as our callers' tokens go: the push authenticates with the deployment's secret
/// (<c>?token=</c> in the URL configured at the provider, or the <c>X-Receipt-Token</c> header), compared in constant
/// time, and optionally its source address. The batch is stored, then acknowledged with exactly
/// <see cref="Acknowledgement"/>; anything else makes the provider retry (after 1, 5 and 10 minutes).
/// </summary>
public static class ProviderReceipts
{
    /// <summary>The body the provider expects with HTTP 200, byte for byte.</summary>
    public const string Acknowledgement = """{"code":0,"msg":"接收成功"}""";

    public const string TokenHeader = "X-Receipt-Token";
    public const string TokenQuery = "token";

    /// <summary>Largest body read (a batch of a few hundred messages is a few hundred KB).</summary>
    public const int MaxBodyBytes = 8 * 1024 * 1024;

    public static RouteGroupBuilder MapProviderReceipts(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/provider-receipts").WithTags(ProviderReceiptsDocs.Tag).AllowAnonymous();
        group.MapPost("/{type}", ReceiveProviderReceipts).WithName(nameof(ReceiveProviderReceipts)).Describe(ProviderReceiptsDocs.Receive);
        return group;
    }

    public static async Task<IResult> ReceiveProviderReceipts(
        string type, HttpContext context, IReceiptIntake intake, IOptions<ReceiptOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var settings = options.Value;
        if (!SourceAllowed(context.Connection.RemoteIpAddress, settings.AllowedSources))
        {
            return Refuse(StatusCodes.Status403Forbidden, "receipts.source_refused", "Receipts are not accepted from this address.");
        }

        var token = context.Request.Headers[TokenHeader].FirstOrDefault() ?? context.Request.Query[TokenQuery].FirstOrDefault();
        if (!TokenMatches(token, settings.Secret))
        {
            return Refuse(StatusCodes.Status401Unauthorized, "receipts.unauthorized", "The receipt token is missing or wrong.");
        }

        var body = await ReadBodyAsync(context.Request, cancellationToken);
        if (body is null)
        {
            return Refuse(StatusCodes.Status413PayloadTooLarge, "receipts.too_large", $"A receipt batch may be at most {MaxBodyBytes} bytes.");
        }

        await intake.AcceptAsync(type, body, cancellationToken);
        return TypedResults.Text(Acknowledgement, "application/json", Encoding.UTF8, StatusCodes.Status200OK);
    }

    /// <summary>Equal lengths are not required: both sides are hashed first, then compared in constant time.</summary>
    internal static bool TokenMatches(string? presented, string secret)
    {
        if (string.IsNullOrEmpty(secret) || string.IsNullOrEmpty(presented))
        {
            return false;
        }

        return CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(presented)), SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
    }

    internal static bool SourceAllowed(IPAddress? address, IReadOnlyCollection<string> allowed)
    {
        if (allowed.Count == 0)
        {
            return true;
        }

        if (address is null)
        {
            return false;
        }

        var source = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        foreach (var entry in allowed)
        {
            if (entry.Contains('/', StringComparison.Ordinal)
                ? IPNetwork.TryParse(entry, out var network) && network.Contains(source)
                : IPAddress.TryParse(entry, out var single) && single.Equals(source))
            {
                return true;
            }
        }

        return false;
    }

    private static async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        int read;
        if (request.ContentLength is { } length)
        {
            // The usual case (the provider sends Content-Length): read straight into a buffer of that size, no copy.
            var exact = new byte[length];
            var filled = 0;
            while (filled < exact.Length && (read = await request.Body.ReadAsync(exact.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }

            return filled == exact.Length ? exact : exact[..filled];
        }

        using var buffer = new MemoryStream(4096);
        var chunk = new byte[16 * 1024];
        while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > MaxBodyBytes)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>A problem from the one catalogue, with a status the error kinds do not cover (401, 403, 413).</summary>
    private static IResult Refuse(int status, string code, string detail) => TypedResults.Problem(ProblemCatalogue.Create(status, code, detail));
}
