using BindingService.Application.Abstractions;
using BindingService.Domain.Bindings;
using BindingService.Domain.Bindings.Events;
using BindingService.Application.Common;
using BindingService.Application.GenericBindings;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Health;
using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Jobs.KeyRotation;
using BindingService.Infrastructure.Jobs.Reconciliation;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Logistics;
using BindingService.Infrastructure.Operators;
using BindingService.Infrastructure.Persistence;
using BindingService.Infrastructure.Persistence.Idempotency;
using BindingService.Infrastructure.Receipts;
using BindingService.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure;

public static class DependencyInjection
{
    public const string PostgresConnectionName = "Postgres";

    public static IServiceCollection AddInfrastructure(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SecurityOptions>()
            .Bind(configuration.GetSection(SecurityOptions.SectionName))
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<PhoneNumberProtector>();
        services.AddKeyJobs(configuration);

        // Pooled: the options (and the connection string's defaults) are built once, not per request (docs/performance.md).
        services.AddDbContextPool<BindingDbContext>((provider, options) =>
        {
            var connectionString = provider.GetRequiredService<IConfiguration>().GetConnectionString(PostgresConnectionName);
            if (string.IsNullOrWhiteSpace(connectionString))
            {
                throw new InvalidOperationException($"ConnectionStrings:{PostgresConnectionName} is not configured.");
            }

            PersistenceSetup.Configure(options, connectionString, provider.GetRequiredService<PhoneNumberProtector>());
        });
        services.AddScoped<UnitOfWork>();
        services.AddScoped<IBindingRepository, BindingRepository>();
        services.AddScoped<IIntegrationEventOutbox, OutboxWriter>();
        services.AddScoped<NumberReservationRelease>();
        services.AddScoped<IDomainEventHandler<BindingDomainEvent>>(sp => sp.GetRequiredService<NumberReservationRelease>());
        services.AddScoped<ITransactionWork>(sp => sp.GetRequiredService<NumberReservationRelease>());
        services.AddScoped<IAxgGroupRepository, AxgGroupRepository>();
        services.AddOptions<IdempotencyOptions>()
            .Bind(configuration.GetSection(IdempotencyOptions.SectionName))
            .Validate(o => o.Retention > TimeSpan.Zero && o.WaitTimeout > TimeSpan.Zero && o.PruneInterval > TimeSpan.Zero, "Idempotency times must be positive.")
            .ValidateOnStart();
        services.AddSingleton<IdempotencyStore>();
        services.AddSingleton<IIdempotencyKeys>(sp => sp.GetRequiredService<IdempotencyStore>());
        services.AddHostedService<IdempotencyKeyPruner>();

        services.AddMessaging(configuration);
        services.AddAliyunPrivacyNumberProvider(configuration);
        services.AddSingleton<IProviderPools, ConfiguredProviderPools>();
        services.AddLocalNumberSelection(configuration);
        services.AddScoped<INumberPoolInventory>(sp => sp.GetRequiredService<NumberInventory>());
        services.AddOperators(configuration);
        services.AddPickUpWaybills(configuration);

        services.AddOptions<ExpirySweeperOptions>()
            .Bind(configuration.GetSection(ExpirySweeperOptions.SectionName))
            .Validate(o => o.IsValid(), "Jobs:ExpirySweeper: BatchSize must be 1..10000 and Interval between 0 (exclusive) and 1 hour.")
            .ValidateOnStart();
        services.AddSingleton<ExpirySweeperMetrics>();
        services.AddHostedService<ExpirySweeper>();

        services.AddOptions<ReconcilerOptions>()
            .Bind(configuration.GetSection(ReconcilerOptions.SectionName))
            .Validate(o => o.IsValid(), "Jobs:Reconciler: times must be positive (Interval at most 1 hour), DriftChecksPerRun 0..100000, ProviderCallsPerSecond above 0.")
            .ValidateOnStart();
        services.AddSingleton<ReconcilerMetrics>();
        services.AddSingleton<Reconciler>();
        services.AddHostedService(sp => sp.GetRequiredService<Reconciler>());

        services.AddReceipts();

        services.AddHealthChecks().AddCheck<PostgresHealthCheck>("postgres", tags: ["ready"]);
        return services;
    }

    /// <summary>Applies pending EF Core migrations (the `migrate` command and MigrateOnStartup).</summary>
    public static async Task MigrateDatabaseAsync(this IServiceProvider services, CancellationToken cancellationToken = default)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<BindingDbContext>();
        await db.Database.MigrateAsync(cancellationToken);
    }

    private sealed class ConfiguredProviderPools(IOptions<ProtectionOptions> protection, IOptions<AliyunOptions> aliyun) : IProviderPools
    {
        public string RidePoolKey => FirstSet(protection.Value.RidePoolKey, aliyun.Value.PoolKey);

        public string DeliveryPoolKey => FirstSet(protection.Value.DeliveryPoolKey, PoolFor(BindingProduct.AxnExtension));

        public string DeliveryAxbPoolKey => FirstSet(protection.Value.DeliveryAxbPoolKey, PoolFor(BindingProduct.Axb));

        /// <summary>Protection:Pools:&lt;Product&gt;, else Aliyun:PoolKey.</summary>
        public string PoolFor(BindingProduct product) =>
            FirstSet(protection.Value.Pools.GetValueOrDefault(product.ToString()), aliyun.Value.PoolKey);

        public IReadOnlyCollection<string> Configured =>
            [.. Own().Concat(protection.Value.CallerPools.Values.SelectMany(p => p)).Where(p => !string.IsNullOrWhiteSpace(p)).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

        public bool Allows(string callerId, string poolKey) =>
            (protection.Value.CallerPools.TryGetValue(callerId, out var pools) ? pools : Own()).Contains(poolKey, StringComparer.Ordinal);

        private IEnumerable<string> Own() =>
            [RidePoolKey, DeliveryPoolKey, DeliveryAxbPoolKey, .. Enum.GetValues<BindingProduct>().Select(PoolFor)];

        private static string FirstSet(string? value, string fallback) => string.IsNullOrWhiteSpace(value) ? fallback : value;
    }
}
