using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Jobs.KeyRotation;

/// <summary>
/// Moves every stored number to the active encryption key and hash key version (docs/operations.md, "Rotating keys"):
/// the binding numbers and their hashes, the G-group members, the number reservations' party hashes, the blacklist
/// entries' numbers and hashes, the pickup waybills' phone numbers; and drops the
/// sticky-selection rows (<c>party_last_numbers</c>) whose hash version is no longer configured. Each batch is one
/// transaction whose rows are taken with <c>FOR UPDATE SKIP LOCKED</c> in id order after the last one seen, so replicas
/// share the work and a run passes every row at most once. A row no configured key decrypts is logged, counted
/// (<c>unreadable</c>), marked on bindings (<c>numbers_unreadable_at</c>) and skipped; once it reads again (its key was
/// restored) the mark is cleared. The aggregate's version and <c>updated_at</c> are not touched: the stored form of a
/// number changes, the binding does not. One summary line per run that did anything; the gauge of rows left is counted
/// at the end of each run.
/// </summary>
public sealed partial class ReencryptionJob(
    IServiceScopeFactory scopes,
    PhoneNumberProtector protector,
    IOptions<ReencryptionOptions> options,
    ReencryptionMetrics metrics,
    TimeProvider clock,
    ILogger<ReencryptionJob> logger) : PeriodicJob(clock, logger)
{
    protected override string JobName => "Re-encryption";

    protected override bool Enabled => options.Value.Enabled;

    protected override TimeSpan Interval => options.Value.Interval;

    protected override Task RunScheduledAsync(CancellationToken stoppingToken) => RunAsync(options.Value.BatchSize, stoppingToken);

    /// <summary>One run over every table; returns what it did and what is left.</summary>
    public async Task<ReencryptionSummary> RunAsync(int batchSize, CancellationToken stoppingToken)
    {
        string connectionString;
        await using (var scope = scopes.CreateAsyncScope())
        {
            connectionString = scope.ServiceProvider.GetRequiredService<BindingDbContext>().Database.GetConnectionString()!;
        }

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(stoppingToken);
        var counts = new Counts();
        await PassAsync(connection, batchSize, Guid.Empty, (c, after, tx) => BindingsBatchAsync(c, tx, after, batchSize, counts), stoppingToken);
        await PassAsync(connection, batchSize, 0L, (c, after, tx) => MembersBatchAsync(c, tx, after, batchSize, counts), stoppingToken);
        await PassAsync(connection, batchSize, Guid.Empty, (c, after, tx) => ReservationsBatchAsync(c, tx, after, batchSize, counts), stoppingToken);
        await PassAsync(connection, batchSize, 0L, (c, after, tx) => BlacklistBatchAsync(c, tx, after, batchSize, counts), stoppingToken);
        await PassAsync(connection, batchSize, Guid.Empty, (c, after, tx) => WaybillsBatchAsync(c, tx, after, batchSize, counts), stoppingToken);
        counts.Dropped = await DropDeadStickyRowsAsync(connection, stoppingToken);
        var remaining = await RemainingAsync(connection, stoppingToken);
        metrics.SetRemaining(remaining);
        metrics.Rows("reencrypted", counts.Rewritten);
        metrics.Rows("unreadable", counts.Unreadable);
        if (counts.Rewritten + counts.Unreadable + counts.Dropped > 0)
        {
            LogRun(logger, counts.Rewritten, counts.Unreadable, counts.Dropped, remaining);
        }

        return new ReencryptionSummary(counts.Rewritten, counts.Unreadable, counts.Dropped, remaining);
    }

    /// <summary>Rows not yet under the active key and hash version, readable ones only (marked bindings excluded).</summary>
    public async Task<long> RemainingAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"""
            SELECT (SELECT count(*) FROM bindings WHERE numbers_unreadable_at IS NULL AND ({StaleBinding()}))
                 + (SELECT count(*) FROM axg_group_members WHERE {StaleMember()})
                 + (SELECT count(*) FROM number_reservations r WHERE {KeyringSql.StaleHash("r.party_hash", protector)})
                 + (SELECT count(*) FROM blacklist_entries WHERE {StaleBlacklistEntry()})
                 + (SELECT count(*) FROM pickup_waybills WHERE {StaleWaybill()})
            """,
            connection);
        return (long)(await command.ExecuteScalarAsync(cancellationToken))!;
    }

    private string StaleBinding() =>
        $"{KeyringSql.StaleCipher("party_a_cipher", protector)} OR {KeyringSql.StaleCipher("party_b_cipher", protector)} " +
        $"OR {KeyringSql.StaleHash("party_a_hash", protector)} OR {KeyringSql.StaleHash("party_b_hash", protector)}";

    private string StaleMember() =>
        $"({KeyringSql.StaleCipher("number_cipher", protector)} OR {KeyringSql.StaleHash("number_hash", protector)})";

    /// <summary>A blacklist entry's numbers and hashes; a number entry's second hash is empty (no number) and stays so.</summary>
    private string StaleBlacklistEntry() =>
        $"({KeyringSql.StaleCipher("first_encrypted", protector)} OR {KeyringSql.StaleCipher("second_encrypted", protector)} " +
        $"OR {KeyringSql.StaleHash("first_hash", protector)} OR (octet_length(second_hash) > 0 AND {KeyringSql.StaleHash("second_hash", protector)}))";

    /// <summary>A pickup waybill's two phone numbers (no hashes: nothing looks a waybill up by number).</summary>
    private string StaleWaybill() =>
        $"({KeyringSql.StaleCipher("sender_phone_cipher", protector)} OR {KeyringSql.StaleCipher("consignee_phone_cipher", protector)})";

    /// <summary>Runs batches (one transaction each) until one is short or the service stops.</summary>
    private static async Task PassAsync<TKey>(
        NpgsqlConnection connection,
        int batchSize,
        TKey after,
        Func<NpgsqlConnection, TKey, NpgsqlTransaction, Task<(int Rows, TKey Last)>> batch,
        CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            // A started batch is not cancelled by shutdown: it is one short transaction.
            await using var transaction = await connection.BeginTransactionAsync(CancellationToken.None);
            var (rows, last) = await batch(connection, after, transaction);
            await transaction.CommitAsync(CancellationToken.None);
            if (rows < batchSize)
            {
                return;
            }

            after = last;
        }
    }

    private async Task<(int, Guid)> BindingsBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid after, int batchSize, Counts counts)
    {
        var rows = await SelectAsync(
            connection,
            transaction,
            $"""
            SELECT id, party_a_cipher, party_b_cipher, numbers_unreadable_at IS NOT NULL FROM bindings
            WHERE id > @after AND octet_length(party_a_cipher) > 0 AND (numbers_unreadable_at IS NOT NULL OR {StaleBinding()})
            ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED
            """,
            after,
            batchSize,
            reader => (Id: reader.GetGuid(0), A: (byte[])reader[1], B: reader.IsDBNull(2) ? null : (byte[])reader[2], Marked: reader.GetBoolean(3)));

        foreach (var (id, cipherA, cipherB, marked) in rows)
        {
            PhoneNumber? b = null;
            if (!TryDecrypt(cipherA, out var a) || (cipherB is not null && !TryDecrypt(cipherB, out b)))
            {
                counts.Unreadable++;
                LogUnreadable(logger, "binding", id.ToString());
                if (!marked)
                {
                    await ExecuteAsync(connection, transaction, "UPDATE bindings SET numbers_unreadable_at = @now WHERE id = @id", ("id", id), ("now", Clock.GetUtcNow()));
                }

                continue;
            }

            await ExecuteAsync(
                connection,
                transaction,
                """
                UPDATE bindings SET party_a_cipher = @ca, party_b_cipher = @cb, party_a_hash = @ha, party_b_hash = @hb, numbers_unreadable_at = NULL
                WHERE id = @id
                """,
                ("id", id),
                ("ca", protector.Encrypt(a)),
                ("cb", b is null ? DBNull.Value : protector.Encrypt(b)),
                ("ha", protector.Hash(a)),
                ("hb", b is null ? DBNull.Value : protector.Hash(b)));
            counts.Rewritten++;
        }

        return (rows.Count, rows.Count > 0 ? rows[^1].Id : after);
    }

    private async Task<(int, long)> MembersBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long after, int batchSize, Counts counts)
    {
        var rows = await SelectAsync(
            connection,
            transaction,
            $"SELECT id, number_cipher FROM axg_group_members WHERE id > @after AND {StaleMember()} ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED",
            after,
            batchSize,
            reader => (Id: reader.GetInt64(0), Cipher: (byte[])reader[1]));

        foreach (var (id, cipher) in rows)
        {
            if (!TryDecrypt(cipher, out var number))
            {
                counts.Unreadable++;
                LogUnreadable(logger, "G-group member", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE axg_group_members SET number_cipher = @c, number_hash = @h WHERE id = @id",
                ("id", id),
                ("c", protector.Encrypt(number)),
                ("h", protector.Hash(number)));
            counts.Rewritten++;
        }

        return (rows.Count, rows.Count > 0 ? rows[^1].Id : after);
    }

    private async Task<(int, Guid)> ReservationsBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid after, int batchSize, Counts counts)
    {
        var rows = await SelectAsync(
            connection,
            transaction,
            $"""
            SELECT r.binding_id, r.party_role, CASE r.party_role WHEN 'A' THEN b.party_a_cipher ELSE b.party_b_cipher END
            FROM number_reservations r JOIN bindings b ON b.id = r.binding_id
            WHERE r.binding_id > @after AND {KeyringSql.StaleHash("r.party_hash", protector)}
            ORDER BY r.binding_id, r.party_role LIMIT @limit FOR UPDATE OF r SKIP LOCKED
            """,
            after,
            batchSize,
            reader => (BindingId: reader.GetGuid(0), Role: reader.GetString(1), Cipher: reader.IsDBNull(2) ? null : (byte[])reader[2]));

        foreach (var (bindingId, role, cipher) in rows)
        {
            if (cipher is null || !TryDecrypt(cipher, out var number))
            {
                counts.Unreadable++;
                LogUnreadable(logger, "number reservation of binding", bindingId.ToString());
                continue;
            }

            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE number_reservations SET party_hash = @h WHERE binding_id = @id AND party_role = @role",
                ("id", bindingId),
                ("role", role),
                ("h", protector.Hash(number)));
            counts.Rewritten++;
        }

        return (rows.Count, rows.Count > 0 ? rows[^1].BindingId : after);
    }

    private async Task<(int, long)> BlacklistBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, long after, int batchSize, Counts counts)
    {
        var rows = await SelectAsync(
            connection,
            transaction,
            $"SELECT id, first_encrypted, second_encrypted FROM blacklist_entries WHERE id > @after AND {StaleBlacklistEntry()} ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED",
            after,
            batchSize,
            reader => (Id: reader.GetInt64(0), First: (byte[])reader[1], Second: reader.IsDBNull(2) ? null : (byte[])reader[2]));

        foreach (var (id, cipherFirst, cipherSecond) in rows)
        {
            PhoneNumber? second = null;
            if (!TryDecrypt(cipherFirst, out var first) || (cipherSecond is not null && !TryDecrypt(cipherSecond, out second)))
            {
                counts.Unreadable++;
                LogUnreadable(logger, "blacklist entry", id.ToString(System.Globalization.CultureInfo.InvariantCulture));
                continue;
            }

            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE blacklist_entries SET first_encrypted = @cf, first_hash = @hf, second_encrypted = @cs, second_hash = @hs WHERE id = @id",
                ("id", id),
                ("cf", protector.Encrypt(first)),
                ("hf", protector.Hash(first)),
                ("cs", second is null ? DBNull.Value : protector.Encrypt(second)),
                ("hs", second is null ? Array.Empty<byte>() : protector.Hash(second)));
            counts.Rewritten++;
        }

        return (rows.Count, rows.Count > 0 ? rows[^1].Id : after);
    }

    private async Task<(int, Guid)> WaybillsBatchAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, Guid after, int batchSize, Counts counts)
    {
        var rows = await SelectAsync(
            connection,
            transaction,
            $"SELECT id, sender_phone_cipher, consignee_phone_cipher FROM pickup_waybills WHERE id > @after AND {StaleWaybill()} ORDER BY id LIMIT @limit FOR UPDATE SKIP LOCKED",
            after,
            batchSize,
            reader => (Id: reader.GetGuid(0), Sender: (byte[])reader[1], Consignee: (byte[])reader[2]));

        foreach (var (id, cipherSender, cipherConsignee) in rows)
        {
            if (!TryDecrypt(cipherSender, out var sender) || !TryDecrypt(cipherConsignee, out var consignee))
            {
                counts.Unreadable++;
                LogUnreadable(logger, "pickup waybill", id.ToString());
                continue;
            }

            await ExecuteAsync(
                connection,
                transaction,
                "UPDATE pickup_waybills SET sender_phone_cipher = @cs, consignee_phone_cipher = @cc WHERE id = @id",
                ("id", id),
                ("cs", protector.Encrypt(sender)),
                ("cc", protector.Encrypt(consignee)));
            counts.Rewritten++;
        }

        return (rows.Count, rows.Count > 0 ? rows[^1].Id : after);
    }

    /// <summary>Sticky-selection rows hashed under a version no longer configured can never match again: deleted.</summary>
    private async Task<int> DropDeadStickyRowsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(
            $"DELETE FROM party_last_numbers WHERE {KeyringSql.VersionOf("party_hash")} <> ALL(@live)", connection);
        command.Parameters.Add(new NpgsqlParameter("live", NpgsqlDbType.Array | NpgsqlDbType.Integer) { Value = protector.HashVersions.Select(v => (int)v).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private bool TryDecrypt(byte[] cipher, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out PhoneNumber? number)
    {
        try
        {
            number = protector.Decrypt(cipher);
            return true;
        }
        catch (StoredNumberUnreadableException)
        {
            number = null;
            return false;
        }
    }

    /// <summary>One batch of rows after <paramref name="after"/> (<c>@after</c>, <c>@limit</c> in <paramref name="sql"/>), locked in <paramref name="transaction"/>.</summary>
    private static async Task<List<T>> SelectAsync<TKey, T>(
        NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, TKey after, int limit, Func<NpgsqlDataReader, T> read)
    {
        await using var select = new NpgsqlCommand(sql, connection, transaction);
        select.Parameters.AddWithValue("after", after!);
        select.Parameters.AddWithValue("limit", limit);
        await using var reader = await select.ExecuteReaderAsync(CancellationToken.None);
        var rows = new List<T>();
        while (await reader.ReadAsync(CancellationToken.None))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await command.ExecuteNonQueryAsync(CancellationToken.None);
    }

    private sealed class Counts
    {
        public int Rewritten { get; set; }

        public int Unreadable { get; set; }

        public int Dropped { get; set; }
    }

    [LoggerMessage(EventId = 4611, Level = LogLevel.Information, Message = "Re-encryption: {Rewritten} rows moved to the active keys, {Unreadable} unreadable, {Dropped} dead sticky rows dropped; {Remaining} rows left")]
    private static partial void LogRun(ILogger logger, int rewritten, int unreadable, int dropped, long remaining);

    [LoggerMessage(EventId = 4612, Level = LogLevel.Warning, Message = "Re-encryption: {Row} {Id} has a phone number no configured key decrypts; skipped — see docs/operations.md, Rotating keys")]
    private static partial void LogUnreadable(ILogger logger, string row, string id);
}

/// <summary>What one run of the re-encryption job did: rows rewritten, unreadable rows met, dead sticky rows dropped, rows left.</summary>
public sealed record ReencryptionSummary(int Rewritten, int Unreadable, int Dropped, long Remaining);
