using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// Carries the <see cref="PhoneNumberProtector"/> in a <see cref="BindingDbContext"/>'s options, so that a pooled
/// context (made from its options alone) encrypts and hashes with the host's keys. It adds no EF service: contexts
/// with different key sets share EF's internal services, and their models stay apart by
/// <see cref="ProtectorModelCacheKeyFactory"/>.
/// </summary>
internal sealed class PhoneProtectorExtension(PhoneNumberProtector protector) : IDbContextOptionsExtension
{
    private DbContextOptionsExtensionInfo? _info;

    public PhoneNumberProtector Protector { get; } = protector;

    public DbContextOptionsExtensionInfo Info => _info ??= new ExtensionInfo(this);

    public static PhoneNumberProtector From(DbContextOptions options) =>
        options.FindExtension<PhoneProtectorExtension>()?.Protector
        ?? throw new InvalidOperationException(
            "BindingDbContext needs the phone protector in its options: use BindingDbContext.Create or PersistenceSetup.Configure with a protector.");

    public void ApplyServices(IServiceCollection services)
    {
        // Nothing: the protector is read by the context itself.
    }

    public void Validate(IDbContextOptions options)
    {
        // Nothing to check beyond From's null check.
    }

    private sealed class ExtensionInfo(IDbContextOptionsExtension extension) : DbContextOptionsExtensionInfo(extension)
    {
        public override bool IsDatabaseProvider => false;

        public override string LogFragment => string.Empty;

        public override int GetServiceProviderHashCode() => 0;

        public override bool ShouldUseSameServiceProvider(DbContextOptionsExtensionInfo other) => other is ExtensionInfo;

        public override void PopulateDebugInfo(IDictionary<string, string> debugInfo) =>
            debugInfo["BindingService:PhoneProtector"] = "1";
    }
}
