using System.Text.RegularExpressions;
using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.Operators;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql;

namespace BindingService.Infrastructure.Operators;

/// <summary>
/// One row of <c>blacklist_entries</c>: numbers encrypted (<see cref="PhoneNumberProtector"/>) with their lookup
/// hashes; a partial unique index keeps one entry in force per pool, kind, numbers and direction.
/// </summary>
public sealed class BlacklistEntryRow
{
    public long Id { get; set; }

    /// <summary><c>pair</c> or <c>number</c>.</summary>
    public string Kind { get; set; } = string.Empty;

    public string PoolKey { get; set; } = string.Empty;

    public byte[] FirstEncrypted { get; set; } = [];

    public byte[] FirstHash { get; set; } = [];

    public byte[]? SecondEncrypted { get; set; }

    /// <summary>Empty for a number (so the unique index compares it).</summary>
    public byte[] SecondHash { get; set; } = [];

    /// <summary><c>both</c>, <c>firstToSecond</c>, <c>secondToFirst</c>; empty for a number.</summary>
    public string Direction { get; set; } = string.Empty;

    public string? Reason { get; set; }

    public string CreatedBy { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    public string? DeletedBy { get; set; }

    public DateTimeOffset? DeletedAt { get; set; }
}

internal sealed class BlacklistEntryConfiguration : IEntityTypeConfiguration<BlacklistEntryRow>
{
    public const string InForceIndex = "ux_blacklist_entries_in_force";

    public void Configure(EntityTypeBuilder<BlacklistEntryRow> builder)
    {
        builder.ToTable("blacklist_entries");
        builder.HasKey(e => e.Id);
        builder.Property(e => e.Id).UseIdentityAlwaysColumn();
        builder.Property(e => e.Kind).HasMaxLength(16).IsRequired();
        builder.Property(e => e.PoolKey).HasMaxLength(64).IsRequired();
        builder.Property(e => e.Direction).HasMaxLength(16).IsRequired();
        builder.Property(e => e.Reason).HasMaxLength(256);
        builder.Property(e => e.CreatedBy).HasMaxLength(128).IsRequired();
        builder.Property(e => e.DeletedBy).HasMaxLength(128);
        builder.HasIndex(e => new { e.PoolKey, e.Kind, e.FirstHash, e.SecondHash, e.Direction }).IsUnique().HasFilter("deleted_at IS NULL").HasDatabaseName(InForceIndex);
        builder.HasIndex(e => new { e.PoolKey, e.Id }).HasDatabaseName("ix_blacklist_entries_pool");
    }
}

/// <summary><see cref="IBlacklists"/> on the Dyplsapi client and <c>blacklist_entries</c>.</summary>
public sealed partial class Blacklists(
    IDyplsapiClient client,
    BindingDbContext db,
    PhoneNumberProtector protector,
    OperatorAuditLog audit,
    TimeProvider clock) : IBlacklists
{
    public const string PairKind = "pair";
    public const string NumberKind = "number";

    private static readonly string[] Directions = ["both", "firstToSecond", "secondToFirst"];

    /// <inheritdoc />
    public async Task<Result<BlacklistOutcome>> AddPairAsync(PairToBlacklist pair, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pair);
        var fields = new Dictionary<string, string[]>();
        var poolKey = CheckPool(pair.PoolKey, fields);
        var first = CheckNumber(pair.First, "first", fields);
        var second = CheckNumber(pair.Second, "second", fields);
        var direction = pair.Direction ?? "both";
        if (!Directions.Contains(direction, StringComparer.Ordinal))
        {
            fields["direction"] = ["both (default), firstToSecond (only first calling second is blocked) or secondToFirst."];
        }

        if (first is not null && first == second)
        {
            fields["second"] = ["A different number from first."];
        }

        CheckReason(pair.Reason, fields);
        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var row = NewRow(PairKind, poolKey!, first!, second, direction, pair.Reason, callerId);
        if (await InForceAsync(row, first!, second, cancellationToken) is { } existing)
        {
            return new BlacklistOutcome(View(existing), Created: false);
        }

        var added = await client.AddSecretBlacklistAsync(
            new AddSecretBlacklistRequest { PoolKey = poolKey!, BlackNo = $"{first!.Digits}:{second!.Digits}", BlackType = BlackTypes.PointToPoint, Remark = pair.Reason, WayControl = WayControlOf(direction) },
            cancellationToken);
        return added.Error is { } error ? Refused(error, poolKey!) : await StoreAsync(row, first, second, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Result<BlacklistOutcome>> AddNumberAsync(NumberToBlacklist number, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(number);
        var fields = new Dictionary<string, string[]>();
        var poolKey = CheckPool(number.PoolKey, fields);
        var parsed = CheckNumber(number.Number, "number", fields);
        CheckReason(number.Reason, fields);
        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var row = NewRow(NumberKind, poolKey!, parsed!, null, string.Empty, number.Reason, callerId);
        if (await InForceAsync(row, parsed!, null, cancellationToken) is { } existing)
        {
            return new BlacklistOutcome(View(existing), Created: false);
        }

        var added = await client.OperateBlackNoAsync(
            new OperateBlackNoRequest { PoolKey = poolKey!, BlackNo = parsed!.Digits, OperateType = BlackNoOperations.AddBlack, Tips = number.Reason },
            cancellationToken);
        return added.Error is { } error ? Refused(error, poolKey!) : await StoreAsync(row, parsed, null, cancellationToken);
    }

    /// <inheritdoc />
    public async Task<Result<BlacklistEntryView>> DeleteAsync(long id, string callerId, CancellationToken cancellationToken)
    {
        var row = await db.Set<BlacklistEntryRow>().FirstOrDefaultAsync(e => e.Id == id, cancellationToken);
        if (row is null)
        {
            return Error.NotFound("blacklist.not_found", $"No blacklist entry {id}.");
        }

        if (row.DeletedAt is not null)
        {
            return View(row);
        }

        var first = protector.Decrypt(row.FirstEncrypted);
        var second = row.SecondEncrypted is { } s ? protector.Decrypt(s) : null;
        var deleted = row.Kind == PairKind
            ? await client.DeleteSecretBlacklistAsync(
                new DeleteSecretBlacklistRequest { PoolKey = row.PoolKey, BlackNo = $"{first.Digits}:{second!.Digits}", BlackType = BlackTypes.PointToPoint, WayControl = WayControlOf(row.Direction) },
                cancellationToken)
            : await client.OperateBlackNoAsync(
                new OperateBlackNoRequest { PoolKey = row.PoolKey, BlackNo = first.Digits, OperateType = BlackNoOperations.DeleteBlack },
                cancellationToken);
        if (deleted.Error is { } error && error.Kind != ProviderErrorKind.Forbidden)
        {
            // Forbidden: the provider no longer has it (deleted in the console); ours ends too.
            return ProviderErrors.ToError(error, row.PoolKey, null);
        }

        row.DeletedAt = clock.GetUtcNow();
        row.DeletedBy = callerId;
        await db.SaveChangesAsync(CancellationToken.None);
        await audit.WriteAsync(callerId, "blacklist.delete", row.PoolKey, Subject(first, second), $"{row.Kind} {row.Id}", CancellationToken.None);
        return View(row);
    }

    /// <inheritdoc />
    public async Task<Result<BlacklistPage>> ListAsync(string? poolKey, string? kind, long? before, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > OperatorAuditLog.MaxPageSize || kind is not (null or PairKind or NumberKind))
        {
            return Error.Validation(new Dictionary<string, string[]>
            {
                [limit is < 1 or > OperatorAuditLog.MaxPageSize ? "limit" : "kind"] = [$"limit 1 to {OperatorAuditLog.MaxPageSize}; kind pair or number."],
            });
        }

        var size = limit ?? OperatorAuditLog.DefaultPageSize;
        var query = db.Set<BlacklistEntryRow>().AsNoTracking().Where(e => e.DeletedAt == null);
        if (poolKey is not null)
        {
            query = query.Where(e => e.PoolKey == poolKey);
        }

        if (kind is not null)
        {
            query = query.Where(e => e.Kind == kind);
        }

        if (before is { } id)
        {
            query = query.Where(e => e.Id < id);
        }

        var rows = await query.OrderByDescending(e => e.Id).Take(size + 1).ToListAsync(cancellationToken);
        var page = rows.Take(size).Select(View).ToList();
        return new BlacklistPage(page, rows.Count > size ? page[^1].Id : null);
    }

    private async Task<Result<BlacklistOutcome>> StoreAsync(BlacklistEntryRow row, PhoneNumber first, PhoneNumber? second, CancellationToken cancellationToken)
    {
        db.Set<BlacklistEntryRow>().Add(row);
        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
        }
        catch (DbUpdateException ex) when (ex.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation, ConstraintName: BlacklistEntryConfiguration.InForceIndex })
        {
            // The same entry was added by a concurrent request: answer that one.
            db.Entry(row).State = EntityState.Detached;
            return new BlacklistOutcome(View((await InForceAsync(row, first, second, cancellationToken))!), Created: false);
        }

        await audit.WriteAsync(row.CreatedBy, "blacklist.add", row.PoolKey, Subject(first, second), $"{row.Kind} {row.Id}", CancellationToken.None);
        return new BlacklistOutcome(View(row), Created: true);
    }

    /// <summary>
    /// The entry in force for the same pool, kind, numbers and direction. The numbers are looked up under every configured
    /// hash version: an entry the re-encryption job has not re-hashed yet is still found (docs/operations.md, "Rotating keys").
    /// </summary>
    private Task<BlacklistEntryRow?> InForceAsync(BlacklistEntryRow row, PhoneNumber first, PhoneNumber? second, CancellationToken cancellationToken)
    {
        List<byte[]> firstHashes = [.. protector.HashesForLookup(first)];
        List<byte[]> secondHashes = second is null ? [[]] : [.. protector.HashesForLookup(second)];
        return db.Set<BlacklistEntryRow>().AsNoTracking().FirstOrDefaultAsync(
            e => e.DeletedAt == null && e.PoolKey == row.PoolKey && e.Kind == row.Kind && firstHashes.Contains(e.FirstHash) && secondHashes.Contains(e.SecondHash) && e.Direction == row.Direction,
            cancellationToken);
    }

    private BlacklistEntryRow NewRow(string kind, string poolKey, PhoneNumber first, PhoneNumber? second, string direction, string? reason, string callerId) => new()
    {
        Kind = kind,
        PoolKey = poolKey,
        FirstEncrypted = protector.Encrypt(first),
        FirstHash = protector.Hash(first),
        SecondEncrypted = second is null ? null : protector.Encrypt(second),
        SecondHash = second is null ? [] : protector.Hash(second),
        Direction = direction,
        Reason = reason,
        CreatedBy = callerId,
        CreatedAt = clock.GetUtcNow(),
    };

    private BlacklistEntryView View(BlacklistEntryRow row) => new(
        row.Id,
        row.Kind,
        row.PoolKey,
        protector.Decrypt(row.FirstEncrypted).Masked,
        row.SecondEncrypted is { } s ? protector.Decrypt(s).Masked : null,
        row.Kind == PairKind ? row.Direction : null,
        row.Reason,
        row.CreatedBy,
        row.CreatedAt,
        row.DeletedAt);

    private static string Subject(PhoneNumber first, PhoneNumber? second) => second is null ? first.Masked : $"{first.Masked}:{second.Masked}";

    /// <summary>docs/provider-rules.md R-BLK-2: PHONEA_REJECT lets first call second and blocks second → first; PHONEB_REJECT the reverse.</summary>
    private static string? WayControlOf(string direction) => direction switch
    {
        "firstToSecond" => WayControls.PhoneBRejects,
        "secondToFirst" => WayControls.PhoneARejects,
        _ => null,
    };

    private static Error Refused(ProviderError error, string poolKey) => error.Kind == ProviderErrorKind.PoolNotFound
        ? Error.NotFound("pool.not_found", $"The provider has no pool {poolKey}.")
        : ProviderErrors.ToError(error, poolKey, null);

    private static string? CheckPool(string? poolKey, Dictionary<string, string[]> fields)
    {
        if (string.IsNullOrWhiteSpace(poolKey) || poolKey.Length > 64)
        {
            fields["poolKey"] = ["The pool the entry applies to, 1 to 64 characters."];
            return null;
        }

        return poolKey;
    }

    private static PhoneNumber? CheckNumber(string? value, string field, Dictionary<string, string[]> fields)
    {
        if (PhoneNumber.TryParse(value, out var number))
        {
            return number;
        }

        fields[field] = ["A phone number, digits only."];
        return null;
    }

    private static void CheckReason(string? reason, Dictionary<string, string[]> fields)
    {
        if (reason is { Length: > 256 } || (reason is not null && DigitRun().IsMatch(reason)))
        {
            fields["reason"] = ["At most 256 characters, and no phone number (it is stored and shown in clear)."];
        }
    }

    [GeneratedRegex(@"\d{7}")]
    private static partial Regex DigitRun();
}
