using BindingService.Domain.Common;
using BindingService.Domain.Groups;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace BindingService.Infrastructure.Persistence.Configurations;

/// <summary>G groups (axg_groups) and their members (axg_group_members: encrypted number + keyed hash, invariant 5).</summary>
internal sealed class AxgGroupConfiguration(PhoneNumberProtector protector) : IEntityTypeConfiguration<AxgGroup>
{
    public const string MemberHash = "NumberHash";
    public const string ProviderGroupIndex = "ux_axg_groups_pool_provider_group";

    private static readonly ValueComparer<PhoneNumber> PhoneComparer = new((a, b) => a == b, p => p.GetHashCode(), p => p);

    public void Configure(EntityTypeBuilder<AxgGroup> builder)
    {
        builder.ToTable("axg_groups");
        builder.HasKey(g => g.Id);
        builder.Property(g => g.Id).HasConversion(id => id.Value, value => new AxgGroupId(value)).ValueGeneratedNever();
        builder.Property(g => g.CallerId).HasMaxLength(64).IsRequired();
        builder.Property(g => g.PoolKey).HasMaxLength(64).IsRequired();
        builder.Property(g => g.Name).HasMaxLength(AxgGroup.MaxNameLength);
        builder.Property(g => g.Remark).HasMaxLength(AxgGroup.MaxRemarkLength);
        builder.Property(g => g.Version).IsConcurrencyToken();
        builder.HasIndex(g => new { g.PoolKey, g.ProviderGroupId }).HasDatabaseName(ProviderGroupIndex).IsUnique();
        builder.HasIndex(g => new { g.CallerId, g.CreatedAt }).HasDatabaseName("ix_axg_groups_caller_created");

        builder.OwnsMany(g => g.Members, member =>
        {
            member.ToTable("axg_group_members");
            member.WithOwner().HasForeignKey("GroupId");
            member.Property<long>("Id").UseIdentityAlwaysColumn();
            member.HasKey("Id");
            member.Property(m => m.Number).HasColumnName("number_cipher").IsRequired()
                .HasConversion(p => protector.Encrypt(p), b => protector.Decrypt(b), PhoneComparer);
            member.Property<byte[]>(MemberHash).HasColumnName("number_hash").IsRequired();
            member.HasIndex("GroupId", MemberHash).HasDatabaseName("ux_axg_group_members_group_number").IsUnique();
            member.HasIndex(MemberHash).HasDatabaseName("ix_axg_group_members_number_hash");
        });
        builder.Navigation(g => g.Members).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}
