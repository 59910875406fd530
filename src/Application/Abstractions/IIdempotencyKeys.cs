namespace BindingService.Application.Abstractions;

/// <summary>
/// Idempotency keys (the Idempotency-Key header, docs/api.md "Idempotency-Key"): per caller and key, the first request
/// runs and its response is kept for the retention period; a repeat of the same request gets that response back; a
/// repeat with another request is refused. A repeat arriving while the first still runs — on any replica — waits for
/// its outcome, up to a timeout.
/// </summary>
public interface IIdempotencyKeys
{
    /// <summary>The longest key accepted.</summary>
    const int MaxKeyLength = 255;

    /// <summary>
    /// Claims <paramref name="key"/> for <paramref name="callerId"/> and the request whose hash is <paramref name="requestHash"/>
    /// (the same request always hashes the same). Dispose the claim when done: an owner's claim disposed without
    /// <see cref="IIdempotencyClaim.CompleteAsync"/> frees the key again.
    /// </summary>
    Task<IIdempotencyClaim> ClaimAsync(string callerId, string key, byte[] requestHash, CancellationToken cancellationToken);
}

/// <summary>The result of claiming a key.</summary>
public interface IIdempotencyClaim : IAsyncDisposable
{
    ClaimOutcome Outcome { get; }

    /// <summary>The response to replay (<see cref="ClaimOutcome.Replay"/> only).</summary>
    StoredResponse? Response { get; }

    /// <summary>Stores the owner's response (<see cref="ClaimOutcome.Owner"/> only, once): from now on the key replays it.</summary>
    Task CompleteAsync(StoredResponse response, CancellationToken cancellationToken);
}

public enum ClaimOutcome
{
    /// <summary>This request holds the key: run it, then <see cref="IIdempotencyClaim.CompleteAsync"/>.</summary>
    Owner,

    /// <summary>The key was used with the same request: replay <see cref="IIdempotencyClaim.Response"/>.</summary>
    Replay,

    /// <summary>The key was used with another request body or path.</summary>
    Mismatch,

    /// <summary>The first request with this key is still running after the wait timeout.</summary>
    Busy,
}

/// <summary>A response as stored for replay: status, content type, Location (if any) and the body's bytes.</summary>
public sealed record StoredResponse(int StatusCode, string? ContentType, string? Location, byte[] Body);
