using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BindingService.AliyunSimulator.Tests.Support;

/// <summary>
/// One simulator per test, in-process on real Kestrel at 127.0.0.1:0, reached over real HTTP. Its wall clock is a
/// <see cref="FakeTimeProvider"/> and every log line it writes (at every level) is captured in <see cref="Logs"/>.
/// </summary>
public sealed class RunningSimulator : IAsyncDisposable
{
    public const string PoolKey = "FC100000000000001";

    private readonly WebApplication app;

    private RunningSimulator(WebApplication app, Uri baseAddress, FakeTimeProvider clock, LogCapture logs)
    {
        this.app = app;
        BaseAddress = baseAddress;
        Clock = clock;
        Logs = logs;
        Http = new HttpClient { BaseAddress = baseAddress };
        Pop = new PopTestClient(Http, clock);
    }

    public Uri BaseAddress { get; }

    public FakeTimeProvider Clock { get; }

    public LogCapture Logs { get; }

    public HttpClient Http { get; }

    public PopTestClient Pop { get; }

    public IReadOnlyList<string> Urls => [.. app.Urls];

    /// <summary>The simulator's services, for assertions on state no API exposes (e.g. <c>SimulatorState.IsCallBlocked</c>).</summary>
    public IServiceProvider Services => app.Services;

    /// <param name="settings">Simulator settings as <c>Key=value</c> below <c>Simulator:</c>, e.g. <c>MaxAxbPairsPerX=2</c>.</param>
    public static async Task<RunningSimulator> StartAsync(params string[] settings)
    {
        var clock = new FakeTimeProvider();
        var logs = new LogCapture();
        var args = new List<string>
        {
            "--urls", "http://127.0.0.1:0",
            // Everything on, so the privacy assertions see whatever the simulator and the framework would write.
            "--Logging:LogLevel:Default=Trace",
            "--Logging:LogLevel:Microsoft.AspNetCore=Trace",
        };
        args.AddRange(settings.Select(s => "--Simulator:" + s));
        var app = SimulatorApp.Create([.. args], builder =>
        {
            builder.Services.AddSingleton<TimeProvider>(clock);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(logs);
        });
        await app.StartAsync();

        // After StartAsync Kestrel has replaced "http://127.0.0.1:0" with the address it actually bound.
        var address = app.Urls.Single();
        return new RunningSimulator(app, new Uri(address), clock, logs);
    }

    /// <summary><c>Expiration</c> as the API wants it: China wall-clock time, <paramref name="fromNow"/> after the fake now.</summary>
    public string ChinaTime(TimeSpan fromNow) => ChinaTimeAt(Clock.GetUtcNow() + fromNow);

    public static string ChinaTimeAt(DateTimeOffset instant) =>
        instant.ToOffset(TimeSpan.FromHours(8)).ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    /// <summary>BindAxb in the default pool, expiring in two hours, plus any extra parameters.</summary>
    public Task<PopResponse> BindAsync(string phoneNoA, string phoneNoB, params (string Name, string Value)[] extra) =>
        Pop.PostAsync("BindAxb", [("PoolKey", PoolKey), ("PhoneNoA", phoneNoA), ("PhoneNoB", phoneNoB), ("Expiration", ChinaTime(TimeSpan.FromHours(2))), .. extra]);

    /// <summary>BindAxb that must succeed: returns (SubsId, SecretNo).</summary>
    public async Task<(string SubsId, string SecretNo)> BindOkAsync(string phoneNoA, string phoneNoB, params (string Name, string Value)[] extra)
    {
        var response = await BindAsync(phoneNoA, phoneNoB, extra);
        Assert.True(response.Code == "OK", $"BindAxb failed: {response}");
        var dto = response.Field("SecretBindDTO");
        return (dto.GetProperty("SubsId").GetString()!, dto.GetProperty("SecretNo").GetString()!);
    }

    public Task<PopResponse> QueryAsync(string subsId, string phoneNoX, string poolKey = PoolKey) =>
        Pop.PostAsync("QuerySubscriptionDetail", ("PoolKey", poolKey), ("SubsId", subsId), ("PhoneNoX", phoneNoX));

    public Task<PopResponse> UpdateAsync(string subsId, string phoneNoX, string operateType, params (string Name, string Value)[] extra) =>
        Pop.PostAsync("UpdateSubscription", [("PoolKey", PoolKey), ("SubsId", subsId), ("PhoneNoX", phoneNoX), ("OperateType", operateType), .. extra]);

    public Task<PopResponse> UnbindAsync(string subsId, string secretNo) =>
        Pop.PostAsync("UnbindSubscription", ("PoolKey", PoolKey), ("SubsId", subsId), ("SecretNo", secretNo));

    public async Task<JsonElement[]> BindingsAsync() =>
        [.. (await Http.GetFromJsonAsync<JsonElement>("/_sim/bindings")).EnumerateArray()];

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
