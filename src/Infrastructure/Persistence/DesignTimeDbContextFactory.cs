using System.Security.Cryptography;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Persistence;

/// <summary>Used by `dotnet ef migrations add` only. Throwaway keys: the model does not depend on them.</summary>
internal sealed class DesignTimeDbContextFactory : IDesignTimeDbContextFactory<BindingDbContext>
{
    public BindingDbContext CreateDbContext(string[] args)
    {
        var protector = new PhoneNumberProtector(Options.Create(new SecurityOptions
        {
            PhoneEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            PhoneHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        var options = new DbContextOptionsBuilder<BindingDbContext>();
        PersistenceSetup.Configure(options, "Host=127.0.0.1;Database=design_time", protector);
        return new BindingDbContext(options.Options);
    }
}
