using System.Diagnostics.Metrics;
using BindingService.Application.Abstractions;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>Options, validation on start, telemetry and the no-phone-number-in-logs rule.</summary>
public sealed class AliyunRegistrationTests
{
    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAliyunPrivacyNumberProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Options_HaveTheDocumentedDefaults()
    {
        using var services = Build(new() { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" });

        var options = services.GetRequiredService<IOptions<AliyunOptions>>().Value;

        Assert.Equal(new Uri("https://dyplsapi.aliyuncs.com/"), options.Endpoint);
        Assert.Equal("cn-hangzhou", options.RegionId);
        Assert.Equal(TimeSpan.FromSeconds(5), options.RequestTimeout);
        Assert.Equal(8, options.ChinaUtcOffsetHours);
        Assert.Equal(2, options.Resilience.MaxRetryAttempts);
        Assert.Same(TimeProvider.System, services.GetRequiredService<TimeProvider>());
    }

    [Theory]
    [InlineData("Aliyun:AccessKeyId")]
    [InlineData("Aliyun:AccessKeySecret")]
    [InlineData("Aliyun:PoolKey")]
    public void StartupValidation_Fails_WhenARequiredSettingIsMissing(string missing)
    {
        var settings = new Dictionary<string, string?> { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" };
        settings.Remove(missing);
        using var services = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void StartupValidation_Fails_WhenTheEndpointIsNotAbsolute()
    {
        using var services = Build(new() { ["Aliyun:Endpoint"] = "/relative", ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" });

        Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());
    }

    [Fact]
    public void StartupValidation_Passes_WithCredentialsAndAPool()
    {
        using var services = Build(new() { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" });

        services.GetRequiredService<IStartupValidator>().Validate();
        Assert.NotNull(services.GetRequiredService<IPrivacyNumberProvider>());
    }

    [Theory]
    [InlineData(AliyunServiceCollectionExtensions.HttpClientName)]
    [InlineData(AliyunServiceCollectionExtensions.DytnsapiHttpClientName)]
    public void ProviderClients_HaveNoRequestLoggingHandlers(string clientName)
    {
        using var services = Build(new() { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" });

        // The factory's logging handlers (a scope and a timer per call, for lines appsettings.json filters out) are
        // removed; the resilience and signing handlers stay (docs/performance.md, round 7).
        var handlers = new List<Type>();
        for (var handler = services.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName) as DelegatingHandler;
             handler is not null;
             handler = handler.InnerHandler as DelegatingHandler)
        {
            handlers.Add(handler.GetType());
        }

        Assert.DoesNotContain(handlers, t => t.Namespace == "Microsoft.Extensions.Http.Logging");
        Assert.Contains(typeof(PopSigningHandler), handlers);
        Assert.Contains(handlers, t => t.Name == "ResilienceHandler");
    }

    [Fact]
    public async Task Logs_NeverCarryAPhoneNumberInClear_ButDoCarryActionCodeAndRequestId()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.GatewayError("Throttling.User"), System.Net.HttpStatusCode.BadRequest)
            .ThenJson(Samples.BindAxbOk)
            .ThenJson(Samples.BusinessError("isv.BIND_CONFLICT"));

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);
        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);
        await host.Provider.UpdateSubscriptionAsync(new SubscriptionUpdate.ChangePartyB(Samples.Subscription, Samples.PartyB), CancellationToken.None);

        var logs = host.Logs.Entries;
        Assert.NotEmpty(logs);
        Assert.DoesNotContain(logs, l => l.Contains(Samples.PartyA.Digits, StringComparison.Ordinal) || l.Contains(Samples.PartyB.Digits, StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Retrying Aliyun BindAxb", StringComparison.Ordinal) && l.Contains("Throttling.User", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Aliyun BindAxb succeeded", StringComparison.Ordinal) && l.Contains("9297B722-A016-43FB-B51A-E54050D9369D", StringComparison.Ordinal));
        Assert.Contains(logs, l => l.Contains("Aliyun UpdateSubscription failed with isv.BIND_CONFLICT", StringComparison.Ordinal));
        Assert.DoesNotContain(logs, l => l.Contains("must not leak", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_CountCallsByActionCodeAndOutcome()
    {
        using var host = AliyunTestHost.Create();
        host.Stub.ThenJson(Samples.BusinessError("isv.BIND_CONFLICT"));
        var factory = host.Services.GetRequiredService<IMeterFactory>();
        var measurements = new List<(string Instrument, Dictionary<string, object?> Tags)>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Name == AliyunTelemetry.Name && ReferenceEquals(instrument.Meter.Scope, factory))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, _, tags, _) => Add(instrument, tags));
        listener.SetMeasurementEventCallback<double>((instrument, _, tags, _) => Add(instrument, tags));
        listener.Start();

        await host.Provider.BindAsync(Samples.Bind(), CancellationToken.None);

        lock (measurements)
        {
            var call = Assert.Single(measurements, m => m.Instrument == AliyunTelemetry.CallsInstrument);
            Assert.Equal("BindAxb", call.Tags["aliyun.action"]);
            Assert.Equal("isv.BIND_CONFLICT", call.Tags["aliyun.code"]);
            Assert.Equal("failure", call.Tags["outcome"]);
            Assert.Single(measurements, m => m.Instrument == AliyunTelemetry.DurationInstrument);
        }

        void Add(Instrument instrument, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        {
            var copy = new Dictionary<string, object?>();
            foreach (var tag in tags)
            {
                copy[tag.Key] = tag.Value;
            }

            lock (measurements)
            {
                measurements.Add((instrument.Name, copy));
            }
        }
    }
}
