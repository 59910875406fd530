using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BindingService.Api.OpenApi;
using BindingService.Application.Abstractions;
using BindingService.Application.Common;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The Idempotency-Key header for any endpoint (<see cref="IdempotencyEndpointExtensions.WithIdempotency{TBody}"/>).
/// Without the header the request runs as usual. With it, the first request with a key (per caller) runs and its
/// response (status, body, Location) is stored; a repeat with the same key and the same request (method, path and
/// body, compared as the bound body serialized canonically) gets that response replayed, with
/// <c>Idempotent-Replayed: true</c>; a repeat with another request gets 422 <c>idempotency.key_reused</c>. A repeat
/// arriving while the first still runs — on any replica — waits for its outcome (<see cref="IIdempotencyKeys"/>).
/// Responses of 500 and above are not stored: the key is free again and a retry runs afresh.
/// </summary>
public sealed class IdempotencyFilter<TBody>(IIdempotencyKeys keys, CallerContext caller) : IEndpointFilter
{
    public const string HeaderName = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";

    private static readonly JsonSerializerOptions CanonicalJson = new(JsonSerializerDefaults.Web);

    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var http = context.HttpContext;
        if (!http.Request.Headers.TryGetValue(HeaderName, out var values))
        {
            return await next(context);
        }

        var key = values.ToString();
        if (key.Length is 0 or > IIdempotencyKeys.MaxKeyLength || values.Count != 1 || key.Any(c => c is < '!' or > '~'))
        {
            return new ErrorResult(Error.Validation(new Dictionary<string, string[]>
            {
                [HeaderName] = [$"Must be one value of 1 to {IIdempotencyKeys.MaxKeyLength} visible ASCII characters, e.g. a UUID."],
            }));
        }

        var hash = RequestHash(http, context.Arguments.OfType<TBody>().FirstOrDefault());
        await using var claim = await keys.ClaimAsync(caller.CallerId, key, hash, http.RequestAborted);
        switch (claim.Outcome)
        {
            case ClaimOutcome.Replay:
                return new ReplayResult(claim.Response!);
            case ClaimOutcome.Mismatch:
                return new ErrorResult(Error.Unprocessable("idempotency.key_reused", "This Idempotency-Key was already used with a different request. Use a new key for a new request."));
            case ClaimOutcome.Busy:
                return new ErrorResult(new Error(ErrorKind.Conflict, "idempotency.in_progress", "A request with this Idempotency-Key is still being processed. Retry shortly.") { RetryAfter = TimeSpan.FromSeconds(1) });
        }

        var result = await next(context);
        var response = await CaptureAsync(http, result);
        if (response.StatusCode < StatusCodes.Status500InternalServerError)
        {
            await claim.CompleteAsync(response, http.RequestAborted);
        }

        return new ReplayResult(response, replayed: false);
    }

    private static byte[] RequestHash(HttpContext http, TBody? body)
    {
        var canonical = $"{http.Request.Method}\n{http.Request.Path}{http.Request.QueryString}\n{JsonSerializer.Serialize(body, CanonicalJson)}";
        return SHA256.HashData(Encoding.UTF8.GetBytes(canonical));
    }

    /// <summary>Runs the endpoint's result into a buffer, so the exact response can be stored and then sent.</summary>
    private static async Task<StoredResponse> CaptureAsync(HttpContext http, object? result)
    {
        var toExecute = result switch
        {
            IResult r => r,
            null => Results.Empty,
            _ => Results.Json(result),
        };
        var original = http.Response.Body;
        await using var buffer = new MemoryStream();
        http.Response.Body = buffer;
        try
        {
            await toExecute.ExecuteAsync(http);
        }
        finally
        {
            http.Response.Body = original;
        }

        var location = http.Response.Headers.Location.ToString();
        return new StoredResponse(http.Response.StatusCode, http.Response.ContentType, location.Length == 0 ? null : location, buffer.ToArray());
    }

    /// <summary>Writes a stored response: replayed for a repeat, or the captured first response itself.</summary>
    private sealed class ReplayResult(StoredResponse response, bool replayed = true) : IResult
    {
        public async Task ExecuteAsync(HttpContext httpContext)
        {
            httpContext.Response.StatusCode = response.StatusCode;
            if (response.ContentType is not null)
            {
                httpContext.Response.ContentType = response.ContentType;
            }

            if (response.Location is not null)
            {
                httpContext.Response.Headers.Location = response.Location;
            }

            if (replayed)
            {
                httpContext.Response.Headers[ReplayedHeader] = "true";
            }

            httpContext.Response.ContentLength = response.Body.Length;
            await httpContext.Response.Body.WriteAsync(response.Body);
        }
    }
}

public static class IdempotencyEndpointExtensions
{
    /// <summary>
    /// Honours the Idempotency-Key header on this endpoint; <typeparamref name="TBody"/> is its bound request body. The
    /// header and the 422 it can give are described in the OpenAPI document (<see cref="OperationDocs.WithIdempotencyKeyDocs"/>).
    /// </summary>
    public static RouteHandlerBuilder WithIdempotency<TBody>(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter<IdempotencyFilter<TBody>>().WithIdempotencyKeyDocs();
}
