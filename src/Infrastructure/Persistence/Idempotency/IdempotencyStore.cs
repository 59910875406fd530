using BindingService.Application.Abstractions;
using BindingService.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Persistence.Idempotency;

/// <summary>
/// Idempotency keys (<see cref="IIdempotencyKeys"/>) in PostgreSQL (table idempotency_keys, primary key (caller, key)).
/// The first request inserts its row as "in progress" (status 0) with a random owner token and a lease, in its own short
/// statement, and holds no connection while it runs; it completes the row with its response, or deletes it (a 5xx, an
/// exception) so a retry runs afresh. A repeat that finds the row in progress — on any replica — waits by polling
/// (25 → 250 ms, no connection held between polls) up to WaitTimeout, then answers Busy; a row whose lease ran out
/// (its owner died) is taken over by the next repeat. So the request never runs twice at once while its owner lives,
/// a crashed owner blocks its key for at most the lease, and waiting repeats cost no database connections. Keys older
/// than the retention are ignored here (lazily deleted) and pruned by <see cref="IdempotencyKeyPruner"/>.
/// </summary>
public sealed class IdempotencyStore(IConfiguration configuration, IOptions<IdempotencyOptions> options, TimeProvider clock) : IIdempotencyKeys
{
    public const int MaxKeyLength = IIdempotencyKeys.MaxKeyLength;

    private static readonly TimeSpan FirstPoll = TimeSpan.FromMilliseconds(25);
    private static readonly TimeSpan LongestPoll = TimeSpan.FromMilliseconds(250);

    /// <inheritdoc />
    public async Task<IIdempotencyClaim> ClaimAsync(string callerId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var waitUntil = clock.GetUtcNow() + settings.WaitTimeout;
        var poll = FirstPoll;
        while (true)
        {
            var owner = Guid.NewGuid();
            if (await TryInsertAsync(callerId, key, requestHash, owner, cancellationToken))
            {
                return new IdempotencyClaim(ClaimOutcome.Owner, null, this, callerId, key, owner);
            }

            var existing = await ReadAsync(callerId, key, cancellationToken);
            if (existing is null)
            {
                continue; // deleted meanwhile (its owner failed, or pruned): claim again
            }

            var now = clock.GetUtcNow();
            if (existing.CreatedAt < now - settings.Retention)
            {
                await DeleteAsync(callerId, key, existing.CreatedAt, cancellationToken);
                continue;
            }

            if (!existing.RequestHash.AsSpan().SequenceEqual(requestHash))
            {
                return new IdempotencyClaim(ClaimOutcome.Mismatch, null);
            }

            if (existing.StatusCode != InProgress)
            {
                return new IdempotencyClaim(
                    ClaimOutcome.Replay,
                    new StoredResponse(existing.StatusCode, existing.ContentType, existing.Location, existing.ResponseBody ?? []));
            }

            if (existing.LeaseUntil is { } lease && lease < now && await TryTakeOverAsync(callerId, key, lease, owner, cancellationToken))
            {
                return new IdempotencyClaim(ClaimOutcome.Owner, null, this, callerId, key, owner);
            }

            if (now >= waitUntil)
            {
                return new IdempotencyClaim(ClaimOutcome.Busy, null);
            }

            await Task.Delay(Min(poll, waitUntil - now), clock, cancellationToken); // pacing: the first request is still running
            poll = Min(poll * 2, LongestPoll);
        }
    }

    /// <summary>The status of a row whose first request is still running.</summary>
    internal const int InProgress = 0;

    private async Task<bool> TryInsertAsync(string callerId, string key, byte[] requestHash, Guid owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var insert = new NpgsqlCommand(
            """
            INSERT INTO idempotency_keys (caller_id, key, request_hash, status_code, created_at, owner_token, lease_until)
            VALUES (@caller, @key, @hash, 0, @now, @owner, @lease)
            ON CONFLICT (caller_id, key) DO NOTHING
            """,
            connection);
        var now = clock.GetUtcNow();
        insert.Parameters.AddWithValue("caller", callerId);
        insert.Parameters.AddWithValue("key", key);
        insert.Parameters.AddWithValue("hash", requestHash);
        insert.Parameters.AddWithValue("now", now);
        insert.Parameters.AddWithValue("owner", owner);
        insert.Parameters.AddWithValue("lease", now + options.Value.Lease);
        return await insert.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Takes over a row whose owner's lease ran out (the owner died): one repeat wins, the others keep waiting.</summary>
    private async Task<bool> TryTakeOverAsync(string callerId, string key, DateTimeOffset expiredLease, Guid owner, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            """
            UPDATE idempotency_keys SET owner_token = @owner, lease_until = @lease, created_at = @now
            WHERE caller_id = @caller AND key = @key AND status_code = 0 AND lease_until = @expired
            """,
            connection);
        var now = clock.GetUtcNow();
        update.Parameters.AddWithValue("owner", owner);
        update.Parameters.AddWithValue("lease", now + options.Value.Lease);
        update.Parameters.AddWithValue("now", now);
        update.Parameters.AddWithValue("caller", callerId);
        update.Parameters.AddWithValue("key", key);
        update.Parameters.AddWithValue("expired", expiredLease);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Stores the owner's response; false when the row is no longer the owner's (its lease ran out and another took it).</summary>
    internal async Task<bool> CompleteAsync(string callerId, string key, Guid owner, StoredResponse response, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var update = new NpgsqlCommand(
            """
            UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, location = @location, response_body = @body,
                                        owner_token = NULL, lease_until = NULL
            WHERE caller_id = @caller AND key = @key AND owner_token = @owner AND status_code = 0
            """,
            connection);
        update.Parameters.AddWithValue("status", response.StatusCode);
        update.Parameters.AddWithValue("contentType", (object?)response.ContentType ?? DBNull.Value);
        update.Parameters.AddWithValue("location", (object?)response.Location ?? DBNull.Value);
        update.Parameters.AddWithValue("body", response.Body);
        update.Parameters.AddWithValue("caller", callerId);
        update.Parameters.AddWithValue("key", key);
        update.Parameters.AddWithValue("owner", owner);
        return await update.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    /// <summary>Frees a key whose owner did not complete it, so a retry runs afresh.</summary>
    internal async Task ReleaseAsync(string callerId, string key, Guid owner)
    {
        await using var connection = await OpenAsync(CancellationToken.None);
        await using var delete = new NpgsqlCommand(
            "DELETE FROM idempotency_keys WHERE caller_id = @caller AND key = @key AND owner_token = @owner AND status_code = 0", connection);
        delete.Parameters.AddWithValue("caller", callerId);
        delete.Parameters.AddWithValue("key", key);
        delete.Parameters.AddWithValue("owner", owner);
        await delete.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private async Task<NpgsqlConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new NpgsqlConnection(ConnectionString());
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    /// <summary>Deletes keys older than the retention; returns how many.</summary>
    public async Task<int> PruneAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE created_at < @cutoff", connection);
        delete.Parameters.AddWithValue("cutoff", clock.GetUtcNow() - options.Value.Retention);
        return await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IdempotencyRecord?> ReadAsync(string callerId, string key, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var select = new NpgsqlCommand(
            "SELECT request_hash, status_code, content_type, location, response_body, created_at, lease_until FROM idempotency_keys WHERE caller_id = @caller AND key = @key",
            connection);
        select.Parameters.AddWithValue("caller", callerId);
        select.Parameters.AddWithValue("key", key);
        await using var reader = await select.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return null;
        }

        return new IdempotencyRecord
        {
            CallerId = callerId,
            Key = key,
            RequestHash = reader.GetFieldValue<byte[]>(0),
            StatusCode = reader.GetInt32(1),
            ContentType = reader.IsDBNull(2) ? null : reader.GetString(2),
            Location = reader.IsDBNull(3) ? null : reader.GetString(3),
            ResponseBody = reader.IsDBNull(4) ? null : reader.GetFieldValue<byte[]>(4),
            CreatedAt = reader.GetFieldValue<DateTimeOffset>(5),
            LeaseUntil = reader.IsDBNull(6) ? null : reader.GetFieldValue<DateTimeOffset>(6),
        };
    }

    private async Task DeleteAsync(string callerId, string key, DateTimeOffset createdAt, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(ConnectionString());
        await connection.OpenAsync(cancellationToken);
        await using var delete = new NpgsqlCommand("DELETE FROM idempotency_keys WHERE caller_id = @caller AND key = @key AND created_at = @created", connection);
        delete.Parameters.AddWithValue("caller", callerId);
        delete.Parameters.AddWithValue("key", key);
        delete.Parameters.AddWithValue("created", createdAt);
        await delete.ExecuteNonQueryAsync(cancellationToken);
    }

    private string ConnectionString() =>
        configuration.GetConnectionString(DependencyInjection.PostgresConnectionName)
        ?? throw new InvalidOperationException($"ConnectionStrings:{DependencyInjection.PostgresConnectionName} is not configured.");
}

/// <summary>The result of claiming a key. The owner's claim holds no connection; disposing it uncompleted frees the key.</summary>
internal sealed class IdempotencyClaim : IIdempotencyClaim
{
    private readonly IdempotencyStore? _store;
    private readonly string? _callerId;
    private readonly string? _key;
    private readonly Guid _owner;
    private bool _completed;

    internal IdempotencyClaim(ClaimOutcome outcome, StoredResponse? response, IdempotencyStore? store = null, string? callerId = null, string? key = null, Guid owner = default)
    {
        Outcome = outcome;
        Response = response;
        _store = store;
        _callerId = callerId;
        _key = key;
        _owner = owner;
    }

    public ClaimOutcome Outcome { get; }

    /// <summary>The response to replay (Replay only).</summary>
    public StoredResponse? Response { get; }

    /// <summary>Stores the owner's response: from now on the key replays it.</summary>
    public async Task CompleteAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Outcome != ClaimOutcome.Owner || _completed)
        {
            throw new InvalidOperationException("Only the owner completes a claim, once.");
        }

        _completed = true;
        await _store!.CompleteAsync(_callerId!, _key!, _owner, response, cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (Outcome == ClaimOutcome.Owner && !_completed)
        {
            await _store!.ReleaseAsync(_callerId!, _key!, _owner);
        }
    }
}
