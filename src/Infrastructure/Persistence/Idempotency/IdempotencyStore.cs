using BindingService.Application.Abstractions;
using BindingService.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Npgsql;

namespace BindingService.Infrastructure.Persistence.Idempotency;

/// <summary>
/// Idempotency keys (<see cref="IIdempotencyKeys"/>) in PostgreSQL (table idempotency_keys, primary key (caller, key)). The owner inserts its row in a
/// transaction it keeps open while the request runs, and commits it together with the response. A concurrent request
/// with the same key — on any replica — blocks on that row's unique key until the owner commits (then it replays the
/// response) or rolls back (then it becomes the owner): the request never runs twice at once, and a crashed owner
/// leaves no stale lock. Keys older than the retention are ignored here (lazily deleted) and pruned by
/// <see cref="IdempotencyKeyPruner"/>.
/// </summary>
public sealed class IdempotencyStore(IConfiguration configuration, IOptions<IdempotencyOptions> options, TimeProvider clock) : IIdempotencyKeys
{
    public const int MaxKeyLength = IIdempotencyKeys.MaxKeyLength;

    private const string LockNotAvailable = "55P03";

    /// <inheritdoc />
    public async Task<IIdempotencyClaim> ClaimAsync(string callerId, string key, byte[] requestHash, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        for (var attempt = 0; attempt < 5; attempt++)
        {
            var connection = new NpgsqlConnection(ConnectionString());
            NpgsqlTransaction? transaction = null;
            try
            {
                await connection.OpenAsync(cancellationToken);
                transaction = await connection.BeginTransactionAsync(cancellationToken);
                var timeoutMs = Math.Max(1, (long)settings.WaitTimeout.TotalMilliseconds);
                await using (var setTimeout = new NpgsqlCommand($"SET LOCAL lock_timeout = {timeoutMs}", connection, transaction))
                {
                    await setTimeout.ExecuteNonQueryAsync(cancellationToken);
                }

                int inserted;
                await using (var insert = new NpgsqlCommand(
                    """
                    INSERT INTO idempotency_keys (caller_id, key, request_hash, status_code, created_at)
                    VALUES (@caller, @key, @hash, 0, @now)
                    ON CONFLICT (caller_id, key) DO NOTHING
                    """,
                    connection,
                    transaction))
                {
                    insert.Parameters.AddWithValue("caller", callerId);
                    insert.Parameters.AddWithValue("key", key);
                    insert.Parameters.AddWithValue("hash", requestHash);
                    insert.Parameters.AddWithValue("now", clock.GetUtcNow());
                    inserted = await insert.ExecuteNonQueryAsync(cancellationToken);
                }

                if (inserted == 1)
                {
                    var claim = new IdempotencyClaim(ClaimOutcome.Owner, null, connection, transaction, callerId, key);
                    connection = null!;
                    transaction = null;
                    return claim;
                }
            }
            catch (PostgresException ex) when (ex.SqlState == LockNotAvailable)
            {
                return new IdempotencyClaim(ClaimOutcome.Busy, null);
            }
            finally
            {
                if (transaction is not null)
                {
                    await transaction.DisposeAsync();
                }

                if (connection is not null)
                {
                    await connection.DisposeAsync();
                }
            }

            // The key exists and its owner committed: replay, refuse, or forget it if it is past retention.
            var existing = await ReadAsync(callerId, key, cancellationToken);
            if (existing is null)
            {
                continue; // deleted meanwhile (pruned): claim again
            }

            if (existing.CreatedAt < clock.GetUtcNow() - settings.Retention)
            {
                await DeleteAsync(callerId, key, existing.CreatedAt, cancellationToken);
                continue;
            }

            if (!existing.RequestHash.AsSpan().SequenceEqual(requestHash))
            {
                return new IdempotencyClaim(ClaimOutcome.Mismatch, null);
            }

            return new IdempotencyClaim(
                ClaimOutcome.Replay,
                new StoredResponse(existing.StatusCode, existing.ContentType, existing.Location, existing.ResponseBody ?? []));
        }

        return new IdempotencyClaim(ClaimOutcome.Busy, null);
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
            "SELECT request_hash, status_code, content_type, location, response_body, created_at FROM idempotency_keys WHERE caller_id = @caller AND key = @key",
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

/// <summary>The result of claiming a key. The owner's claim holds the open transaction; disposing it uncompleted rolls it back.</summary>
internal sealed class IdempotencyClaim : IIdempotencyClaim
{
    private readonly NpgsqlConnection? _connection;
    private readonly NpgsqlTransaction? _transaction;
    private readonly string? _callerId;
    private readonly string? _key;
    private bool _completed;

    internal IdempotencyClaim(ClaimOutcome outcome, StoredResponse? response, NpgsqlConnection? connection = null, NpgsqlTransaction? transaction = null, string? callerId = null, string? key = null)
    {
        Outcome = outcome;
        Response = response;
        _connection = connection;
        _transaction = transaction;
        _callerId = callerId;
        _key = key;
    }

    public ClaimOutcome Outcome { get; }

    /// <summary>The response to replay (Replay only).</summary>
    public StoredResponse? Response { get; }

    /// <summary>Stores the owner's response and commits: from now on the key replays it.</summary>
    public async Task CompleteAsync(StoredResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(response);
        if (Outcome != ClaimOutcome.Owner || _completed)
        {
            throw new InvalidOperationException("Only the owner completes a claim, once.");
        }

        await using (var update = new NpgsqlCommand(
            """
            UPDATE idempotency_keys SET status_code = @status, content_type = @contentType, location = @location, response_body = @body
            WHERE caller_id = @caller AND key = @key
            """,
            _connection,
            _transaction))
        {
            update.Parameters.AddWithValue("status", response.StatusCode);
            update.Parameters.AddWithValue("contentType", (object?)response.ContentType ?? DBNull.Value);
            update.Parameters.AddWithValue("location", (object?)response.Location ?? DBNull.Value);
            update.Parameters.AddWithValue("body", response.Body);
            update.Parameters.AddWithValue("caller", _callerId!);
            update.Parameters.AddWithValue("key", _key!);
            await update.ExecuteNonQueryAsync(cancellationToken);
        }

        await _transaction!.CommitAsync(cancellationToken);
        _completed = true;
    }

    public async ValueTask DisposeAsync()
    {
        if (_transaction is not null)
        {
            await _transaction.DisposeAsync(); // rolls back when not committed: the key is free again
        }

        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }
    }
}
