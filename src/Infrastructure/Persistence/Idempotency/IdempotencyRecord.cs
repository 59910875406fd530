namespace BindingService.Infrastructure.Persistence.Idempotency;

/// <summary>A keyed request's stored outcome: the response replayed to a repeat with the same key and body.</summary>
public sealed class IdempotencyRecord
{
    public required string CallerId { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of the method, path and canonical body: a repeat with another body is refused.</summary>
    public required byte[] RequestHash { get; init; }

    public int StatusCode { get; init; }

    public string? ContentType { get; init; }

    public string? Location { get; init; }

    /// <summary>The response body as sent (masked numbers only, like every response).</summary>
    public byte[]? ResponseBody { get; init; }

    public DateTimeOffset CreatedAt { get; init; }

    /// <summary>While the first request runs (status 0): who runs it, a random token.</summary>
    public Guid? OwnerToken { get; init; }

    /// <summary>While the first request runs: until when it holds the key; after that a repeat may take it over (the owner died).</summary>
    public DateTimeOffset? LeaseUntil { get; init; }
}
