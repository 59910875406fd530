using System.Security.Cryptography;
using System.Text;
using BindingService.Application.Calls;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// The receiver's store (<see cref="IReceiptIntake"/>): a pushed batch becomes inbox rows in ONE statement (so one
/// transaction): every message, a poison row for what cannot be read, and nothing for a message already stored (its
/// dedupe key exists). Then the processor is woken. A database failure throws, so the push is not acknowledged and
/// the provider retries.
/// </summary>
internal sealed class ReceiptInbox(
    BindingDbContext db, ReceiptParser parser, ReceiptPayloadProtector protector, ReceiptSignal signal, TimeProvider clock) : IReceiptIntake
{
    internal const string InsertSql = """
        INSERT INTO receipt_inbox (dedupe_key, message_type, call_id, status, payload, problem, received_at)
        SELECT * FROM unnest(@keys, @types, @calls, @statuses, @payloads, @problems, @received)
        ON CONFLICT (dedupe_key) DO NOTHING
        """;

    public async Task<IntakeResult> AcceptAsync(string messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var rows = new List<(string Key, string Type, string? CallId, string Status, byte[] Payload, string? Problem)>();
        var poison = 0;
        var messages = ReceiptParser.Split(body);
        if (!ReceiptParser.Types.TryGetValue(messageType, out var kind) || messages is null)
        {
            var problem = messages is null ? "the body is not a JSON array of messages" : "unknown message type";
            rows.Add(($"poison:{Hash(body.Span)}", Truncate(messageType, 40), null, nameof(ReceiptInboxStatus.Poison),
                protector.Protect(Encoding.UTF8.GetString(body.Span)), problem));
            poison = 1;
        }
        else
        {
            foreach (var raw in messages)
            {
                var receipt = parser.Read(kind, raw, out var problem);
                if (receipt is null)
                {
                    rows.Add(($"poison:{Hash(Encoding.UTF8.GetBytes(raw))}", messageType, null, nameof(ReceiptInboxStatus.Poison), protector.Protect(raw), problem));
                    poison++;
                    continue;
                }

                var key = receipt.CallId is { } callId
                    ? $"{messageType}:{callId}:{receipt.MessageId}"
                    : $"{messageType}:{Hash(Encoding.UTF8.GetBytes(raw))}";
                rows.Add((Truncate(key, 200), messageType, receipt.CallId, nameof(ReceiptInboxStatus.Pending), protector.Protect(raw), null));
            }
        }

        // The same message twice in one batch is one row (ON CONFLICT cannot resolve a conflict within one statement).
        rows = rows.DistinctBy(r => r.Key).ToList();
        var stored = await InsertAsync(rows, now, cancellationToken);
        if (stored > 0)
        {
            signal.Notify();
        }

        ReceiptMetrics.Received.Add(messages?.Count ?? 1);
        ReceiptMetrics.Poison.Add(poison);
        ReceiptMetrics.Duplicates.Add(rows.Count - stored);
        return new IntakeResult(stored - poison, rows.Count - stored, poison);
    }

    private async Task<int> InsertAsync(
        List<(string Key, string Type, string? CallId, string Status, byte[] Payload, string? Problem)> rows, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (rows.Count == 0)
        {
            return 0;
        }

        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(cancellationToken);
        }

        try
        {
            await using var command = new NpgsqlCommand(InsertSql, connection);
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Key).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Type).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("calls", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.CallId ?? DBNull.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => r.Status).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Select(r => r.Payload).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("problems", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Select(r => (object?)r.Problem ?? DBNull.Value).ToArray() });
            command.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.Array | NpgsqlDbType.TimestampTz) { Value = rows.Select(_ => now.UtcDateTime).ToArray() });
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static string Hash(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
