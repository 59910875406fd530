using BindingService.Domain.Bindings;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// The bookkeeping columns of a binding's stored numbers (docs/operations.md, "Rotating keys" and "Retention"):
/// when its numbers were erased after the retention, and when a job last found one of them unreadable (the expiry
/// sweeper and the drift check then pass it by; the re-encryption job tries it again and clears the mark once it reads).
/// </summary>
internal static class NumberStorageColumns
{
    public const string ErasedAt = "NumbersErasedAt";
    public const string UnreadableAt = "NumbersUnreadableAt";
    public const string RetentionIndex = "ix_bindings_retention_due";

    public static void Configure(EntityTypeBuilder<Binding> builder)
    {
        builder.Property<DateTimeOffset?>(ErasedAt).HasColumnName("numbers_erased_at");
        builder.Property<DateTimeOffset?>(UnreadableAt).HasColumnName("numbers_unreadable_at");
        // The retention job's query: ended bindings whose numbers are still stored, oldest end first.
        builder.HasIndex(b => b.EndedAt).HasDatabaseName(RetentionIndex)
            .HasFilter("numbers_erased_at IS NULL AND status IN ('Failed', 'Released', 'Expired')");
    }
}
