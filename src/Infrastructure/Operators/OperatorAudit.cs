using BindingService.Application.Common;
using BindingService.Application.Operators;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Operators;

/// <summary>One row of <c>operator_audit</c>: an operator's change, who made it and when. Never a party's number in clear.</summary>
public sealed class OperatorAuditRow
{
    public long Id { get; set; }

    public DateTimeOffset At { get; set; }

    public string CallerId { get; set; } = string.Empty;

    /// <summary>e.g. <c>number.buy</c>, <c>number.release</c>, <c>number.lock</c>, <c>number.unlock</c>.</summary>
    public string Action { get; set; } = string.Empty;

    public string? PoolKey { get; set; }

    /// <summary>X, or a masked number.</summary>
    public string Subject { get; set; } = string.Empty;

    /// <summary>Free text without personal data (city and SpecId of a purchase, a reason).</summary>
    public string? Detail { get; set; }
}

internal sealed class OperatorAuditConfiguration : IEntityTypeConfiguration<OperatorAuditRow>
{
    public void Configure(EntityTypeBuilder<OperatorAuditRow> builder)
    {
        builder.ToTable("operator_audit");
        builder.HasKey(a => a.Id);
        builder.Property(a => a.Id).UseIdentityAlwaysColumn();
        builder.Property(a => a.CallerId).HasMaxLength(128).IsRequired();
        builder.Property(a => a.Action).HasMaxLength(32).IsRequired();
        builder.Property(a => a.PoolKey).HasMaxLength(64);
        builder.Property(a => a.Subject).HasMaxLength(64).IsRequired();
        builder.Property(a => a.Detail).HasMaxLength(512);
        builder.HasIndex(a => new { a.PoolKey, a.Id }).HasDatabaseName("ix_operator_audit_pool");
        builder.HasIndex(a => new { a.Subject, a.Id }).HasDatabaseName("ix_operator_audit_subject");
    }
}

/// <summary>Writes and reads <c>operator_audit</c> (<see cref="IOperatorAuditLog"/>).</summary>
public sealed class OperatorAuditLog(BindingDbContext db, TimeProvider clock) : IOperatorAuditLog
{
    public const int DefaultPageSize = 50;
    public const int MaxPageSize = 500;

    /// <summary>Records one change now (its own save: the provider change it records has already happened).</summary>
    public async Task WriteAsync(string callerId, string action, string? poolKey, string subject, string? detail, CancellationToken cancellationToken)
    {
        db.Set<OperatorAuditRow>().Add(new OperatorAuditRow
        {
            At = clock.GetUtcNow(),
            CallerId = callerId,
            Action = action,
            PoolKey = poolKey,
            Subject = subject,
            Detail = detail,
        });
        // The provider already made the change: record it even when the caller has gone.
        await db.SaveChangesAsync(CancellationToken.None);
    }

    /// <summary>True when the last recorded <paramref name="action"/> on X in the pool was after any other change of it (used to answer a repeated release).</summary>
    public Task<bool> LastActionIsAsync(string poolKey, string subject, string action, CancellationToken cancellationToken) =>
        db.Set<OperatorAuditRow>().AsNoTracking()
            .Where(a => a.PoolKey == poolKey && a.Subject == subject)
            .OrderByDescending(a => a.Id)
            .Select(a => a.Action)
            .Take(1)
            .AnyAsync(a => a == action, cancellationToken);

    /// <inheritdoc />
    public async Task<Result<AuditPage>> ReadAsync(string? poolKey, string? subject, long? before, int? limit, CancellationToken cancellationToken)
    {
        if (limit is < 1 or > MaxPageSize)
        {
            return Error.Validation(new Dictionary<string, string[]> { ["limit"] = [$"1 to {MaxPageSize}."] });
        }

        var size = limit ?? DefaultPageSize;
        var query = db.Set<OperatorAuditRow>().AsNoTracking();
        if (poolKey is not null)
        {
            query = query.Where(a => a.PoolKey == poolKey);
        }

        if (subject is not null)
        {
            query = query.Where(a => a.Subject == subject);
        }

        if (before is { } id)
        {
            query = query.Where(a => a.Id < id);
        }

        var rows = await query.OrderByDescending(a => a.Id).Take(size + 1).ToListAsync(cancellationToken);
        var page = rows.Take(size).Select(a => new AuditEntry(a.Id, a.At, a.CallerId, a.Action, a.PoolKey, a.Subject, a.Detail)).ToList();
        return new AuditPage(page, rows.Count > size ? page[^1].Id : null);
    }
}
