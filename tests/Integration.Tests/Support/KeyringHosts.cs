using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Service instances on the shared fixture, each with a keyring of its own, for the key rotation, retention and
/// unreadable-row tests. Key "1" (and hash version 1) is the fixture's own key pair; <see cref="Key2"/> and
/// <see cref="HashKey2"/> are the keys rotated to. The background jobs these tests drive are off unless asked for.
/// </summary>
public sealed class KeyringHosts(ServiceFixture fixture) : IAsyncDisposable
{
    public static readonly string Key2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
    public static readonly string HashKey2 = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private readonly List<IAsyncDisposable> _hosts = [];

    /// <summary>The key id (fingerprint) ciphertexts under <paramref name="base64Key"/> carry, as SQL bytea hex.</summary>
    public static string KeyIdHex(string base64Key) => Convert.ToHexString(SHA256.HashData(Convert.FromBase64String(base64Key)), 0, 4).ToLowerInvariant();

    /// <summary>Only key 1 and hash version 1: the settings of before the keyring.</summary>
    public static Dictionary<string, string?> Key1Only() => [];

    /// <summary>Keys 1 and 2, hash versions 1 and 2; new writes use 2.</summary>
    public static Dictionary<string, string?> Rotating() => new()
    {
        ["Security:PhoneEncryptionKeys:2"] = Key2,
        ["Security:ActivePhoneEncryptionKeyId"] = "2",
        ["Security:PhoneHashKeys:2"] = HashKey2,
        ["Security:ActivePhoneHashKeyVersion"] = "2",
    };

    /// <summary>Key 1 and hash version 1 removed: only 2 is left.</summary>
    public static Dictionary<string, string?> Key2Only() => new()
    {
        ["Security:PhoneEncryptionKey"] = string.Empty,
        ["Security:PhoneHashKey"] = string.Empty,
        ["Security:PhoneEncryptionKeys:2"] = Key2,
        ["Security:PhoneHashKeys:2"] = HashKey2,
    };

    /// <summary>An instance with <paramref name="keys"/> (plus <paramref name="extra"/> settings) on its own offset clock.</summary>
    public (WebApplicationFactory<CallerContext> Host, HttpClient Client, OffsetTimeProvider Clock) Start(
        Dictionary<string, string?> keys, Dictionary<string, string?>? extra = null)
    {
        var settings = new Dictionary<string, string?>(keys)
        {
            ["Jobs:Reencryption:Enabled"] = "false",
            ["Jobs:Retention:Enabled"] = "false",
            ["Jobs:ExpirySweeper:Enabled"] = "false",
        };
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        var clock = new OffsetTimeProvider();
        var factory = new BindingServiceFactory(fixture, settings);
        var host = factory.WithWebHostBuilder(builder => builder.ConfigureTestServices(services => services.AddSingleton<TimeProvider>(clock)));
        _hosts.Add(factory);
        _hosts.Add(host);
        return (host, host.CreateClient(), clock);
    }

    /// <summary>Protects a ride; asserts 201; returns the binding id.</summary>
    public static async Task<string> ProtectRideAsync(HttpClient client, string orderId, string passenger, string driver, DateTimeOffset? expiresAt = null)
    {
        var response = await client.PutAsJsonAsync(
            $"/v1/ride-orders/{orderId}/protection",
            expiresAt is null ? new { passengerPhone = passenger, driverPhone = driver } : (object)new { passengerPhone = passenger, driverPhone = driver, expiresAt });
        Assert.True(response.StatusCode == System.Net.HttpStatusCode.Created, $"protect answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        for (var i = _hosts.Count - 1; i >= 0; i--)
        {
            await _hosts[i].DisposeAsync();
        }
    }
}
