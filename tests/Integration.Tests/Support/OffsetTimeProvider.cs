using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Real time plus an adjustable offset: a service instance given this clock sees "now" move forward on demand, while
/// the provider (the simulator) keeps real time. Keep the offset under the gateway's POP timestamp tolerance
/// (10 minutes here): the service signs its requests with this clock.
/// </summary>
public sealed class OffsetTimeProvider : TimeProvider
{
    private long _offsetTicks;

    public TimeSpan Offset => TimeSpan.FromTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Offset;
}

public static class ServiceInstances
{
    /// <summary>
    /// A second instance of the service (its own host, DI container, background jobs) on the fixture's database,
    /// broker and simulator, resolving <paramref name="clock"/> as its <see cref="TimeProvider"/> when given.
    /// </summary>
    public static WebApplicationFactory<BindingService.Api.Infrastructure.CallerContext> SecondInstance(this ServiceFixture fixture, TimeProvider? clock = null) =>
        fixture.Factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services =>
        {
            if (clock is not null)
            {
                services.AddSingleton(clock);
            }
        }));
}
