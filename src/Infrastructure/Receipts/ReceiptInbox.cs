using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using BindingService.Application.Calls;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using NpgsqlTypes;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// The receiver's store (<see cref="IReceiptIntake"/>): a pushed batch becomes inbox rows in ONE statement (so one
/// transaction, one round trip): every message, a poison row for what cannot be read, and nothing for a message
/// already stored (its dedupe key exists). Then the processor is woken. A database failure throws, so the push is not
/// acknowledged and the provider retries.
/// <para>
/// The hot path (docs/operations.md, 'Receipts'): the body is parsed once; of each message only what the dedupe key
/// needs is read (<see cref="ReceiptParser.Identify"/>; the processor reads the rest later); its raw UTF-8 bytes are
/// encrypted as they are, under one AES-GCM instance per batch; the rows go as column arrays through
/// <c>unnest</c> with no EF change tracking.
/// </para>
/// </summary>
internal sealed class ReceiptInbox(
    BindingDbContext db, ReceiptPayloadProtector protector, ReceiptSignal signal, TimeProvider clock) : IReceiptIntake
{
    internal const string InsertSql = """
        INSERT INTO receipt_inbox (dedupe_key, message_type, call_id, status, payload, problem, received_at)
        SELECT k, t, c, s, p, pr, @received FROM unnest(@keys, @types, @calls, @statuses, @payloads, @problems) AS u(k, t, c, s, p, pr)
        ON CONFLICT (dedupe_key) DO NOTHING
        """;

    private const string PendingStatus = nameof(ReceiptInboxStatus.Pending);
    private const string PoisonStatus = nameof(ReceiptInboxStatus.Poison);

    public async Task<IntakeResult> AcceptAsync(string messageType, ReadOnlyMemory<byte> body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(messageType);
        var now = clock.GetUtcNow();
        Rows rows;
        int received;
        using (var encryptor = protector.CreateEncryptor())
        using (var document = TryParse(body))
        {
            var root = document?.RootElement ?? default;
            var shape = root.ValueKind is JsonValueKind.Array or JsonValueKind.Object;
            received = root.ValueKind == JsonValueKind.Array ? root.GetArrayLength() : 1;
            rows = new Rows(Math.Max(received, 1));
            if (!ReceiptParser.Types.TryGetValue(messageType, out var kind) || !shape)
            {
                var problem = shape ? "unknown message type" : "the body is not a JSON array of messages";
                rows.Add($"poison:{Hash(body.Span)}", Truncate(messageType, 40), null, PoisonStatus, encryptor.Protect(body.Span), problem);
            }
            else if (root.ValueKind == JsonValueKind.Array)
            {
                foreach (var message in root.EnumerateArray())
                {
                    AddMessage(rows, encryptor, messageType, kind, message);
                }
            }
            else
            {
                AddMessage(rows, encryptor, messageType, kind, root);
            }
        }

        var stored = await InsertAsync(rows, now, cancellationToken);
        if (stored > 0)
        {
            signal.Notify();
        }

        ReceiptMetrics.Received.Add(received);
        ReceiptMetrics.Poison.Add(rows.Poison);
        ReceiptMetrics.Duplicates.Add(rows.Count - stored);
        return new IntakeResult(stored - rows.Poison, rows.Count - stored, rows.Poison);
    }

    /// <summary>One message: its row, keyed by type, call id and message id (or a hash of it), or a poison row.</summary>
    private static void AddMessage(Rows rows, ReceiptPayloadProtector.Encryptor encryptor, string messageType, ReceiptKind kind, JsonElement message)
    {
        var raw = JsonMarshal.GetRawUtf8Value(message);
        var problem = ReceiptParser.Identify(kind, message, out var callId, out var messageId);
        if (problem is not null)
        {
            rows.Add($"poison:{Hash(raw)}", messageType, null, PoisonStatus, encryptor.Protect(raw), problem);
            return;
        }

        var key = callId is not null ? $"{messageType}:{callId}:{messageId}" : $"{messageType}:{Hash(raw)}";
        rows.Add(Truncate(key, 200), messageType, callId, PendingStatus, encryptor.Protect(raw), null);
    }

    private static JsonDocument? TryParse(ReadOnlyMemory<byte> body)
    {
        try
        {
            return JsonDocument.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private async Task<int> InsertAsync(Rows rows, DateTimeOffset now, CancellationToken cancellationToken)
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
            command.Parameters.Add(new NpgsqlParameter("keys", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Keys });
            command.Parameters.Add(new NpgsqlParameter("types", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Types });
            command.Parameters.Add(new NpgsqlParameter("calls", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.CallIds });
            command.Parameters.Add(new NpgsqlParameter("statuses", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Statuses });
            command.Parameters.Add(new NpgsqlParameter("payloads", NpgsqlDbType.Array | NpgsqlDbType.Bytea) { Value = rows.Payloads });
            command.Parameters.Add(new NpgsqlParameter("problems", NpgsqlDbType.Array | NpgsqlDbType.Text) { Value = rows.Problems });
            command.Parameters.Add(new NpgsqlParameter("received", NpgsqlDbType.TimestampTz) { Value = now.UtcDateTime });
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

    /// <summary>
    /// The batch's rows as the statement's column arrays. The same message twice in one batch is one row (ON CONFLICT
    /// cannot resolve a conflict within one statement).
    /// </summary>
    private sealed class Rows(int capacity)
    {
        private readonly HashSet<string> _seen = new(capacity, StringComparer.Ordinal);

        public List<string> Keys { get; } = new(capacity);

        public List<string> Types { get; } = new(capacity);

        public List<string?> CallIds { get; } = new(capacity);

        public List<string> Statuses { get; } = new(capacity);

        public List<byte[]> Payloads { get; } = new(capacity);

        public List<string?> Problems { get; } = new(capacity);

        public int Count => Keys.Count;

        public int Poison { get; private set; }

        public void Add(string key, string type, string? callId, string status, byte[] payload, string? problem)
        {
            if (!_seen.Add(key))
            {
                return;
            }

            Keys.Add(key);
            Types.Add(type);
            CallIds.Add(callId);
            Statuses.Add(status);
            Payloads.Add(payload);
            Problems.Add(problem);
            Poison += status == PoisonStatus ? 1 : 0;
        }
    }
}
