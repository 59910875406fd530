using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Numbers;

/// <summary>Synchronises the inventory of every local pool at start and every SyncInterval; replicas take turns per pool.</summary>
internal sealed partial class NumberInventorySync(
    IServiceScopeFactory scopes,
    IOptionsMonitor<NumberSelectionOptions> options,
    TimeProvider clock,
    ILogger<NumberInventorySync> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.CurrentValue.SyncOnStart)
        {
            await Task.Delay(options.CurrentValue.SyncInterval, clock, stoppingToken);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var poolKey in options.CurrentValue.Pools.Where(p => p.Value.Mode == NumberSelectionMode.Local).Select(p => p.Key))
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<NumberInventory>().SyncAsync(poolKey, waitForOtherReplica: false, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogSyncFailed(logger, ex, poolKey);
                }
            }

            await Task.Delay(options.CurrentValue.SyncInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Synchronising pool {PoolKey} failed; the next round retries")]
    private static partial void LogSyncFailed(ILogger logger, Exception exception, string poolKey);
}
