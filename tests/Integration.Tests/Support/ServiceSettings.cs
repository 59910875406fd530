using System.Globalization;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The settings every test instance of the service runs with: its database, broker and simulator, the simulator's
/// pools and keys, migrations at start-up, a fast outbox, and no background reconciler (a test that reconciles turns it
/// on: a background run would settle other tests' Pending rows). Logging is each host's own choice.
/// </summary>
public static class ServiceSettings
{
    public static Dictionary<string, string?> For(string postgres, Uri rabbitMq, SimulatorHost simulator)
    {
        ArgumentNullException.ThrowIfNull(rabbitMq);
        ArgumentNullException.ThrowIfNull(simulator);
        var vhost = Uri.UnescapeDataString(rabbitMq.AbsolutePath.TrimStart('/'));
        var settings = new Dictionary<string, string?>
        {
            ["ConnectionStrings:Postgres"] = postgres,
            ["RabbitMq:Host"] = rabbitMq.Host,
            ["RabbitMq:Port"] = rabbitMq.Port.ToString(CultureInfo.InvariantCulture),
            ["RabbitMq:VirtualHost"] = vhost.Length == 0 ? "/" : vhost,
            ["RabbitMq:Username"] = Uri.UnescapeDataString(rabbitMq.UserInfo.Split(':')[0]),
            ["RabbitMq:Password"] = Uri.UnescapeDataString(rabbitMq.UserInfo.Split(':').ElementAtOrDefault(1) ?? string.Empty),
            ["Aliyun:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:AccessKeyId"] = SimulatorHost.AccessKeyId,
            ["Aliyun:AccessKeySecret"] = SimulatorHost.AccessKeySecret,
            ["Aliyun:PoolKey"] = SimulatorHost.PoolKey,
            ["Aliyun:Dytnsapi:Endpoint"] = simulator.BaseAddress.ToString(),
            ["Aliyun:Dytnsapi:AuthCode"] = "SIMULATOR-AUTH-CODE",
            ["Protection:Pools:Axb"] = SimulatorHost.PoolKey,
            ["Protection:Pools:Axn"] = SimulatorHost.AxnPoolKey,
            ["Protection:Pools:AxnExtension"] = SimulatorHost.AxnExtensionPoolKey,
            ["Protection:Pools:Axg"] = SimulatorHost.AxgPoolKey,
            ["Security:PhoneEncryptionKey"] = ServiceFixture.EncryptionKey,
            ["Security:PhoneHashKey"] = ServiceFixture.HashKey,
            ["Database:MigrateOnStartup"] = "true",
            ["Outbox:PollInterval"] = "00:00:00.200",
            ["Jobs:Reconciler:Enabled"] = "false",
        };
        TestTokens.AddTo(settings);
        return settings;
    }

    /// <summary>Copies <paramref name="overrides"/> over <paramref name="settings"/> and returns it.</summary>
    public static Dictionary<string, string?> With(this Dictionary<string, string?> settings, IReadOnlyDictionary<string, string?>? overrides)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in overrides ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return settings;
    }
}
