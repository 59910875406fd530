using System.Security.Cryptography;
using System.Text.Json;
using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Security;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Security;

/// <summary>The keyring of <see cref="PhoneNumberProtector"/> and the start-up checks of <see cref="SecurityOptions"/>.</summary>
public sealed class KeyringTests
{
    private static readonly PhoneNumber Number = PhoneNumber.Parse("13800138000");
    private static readonly string Key1 = NewKey();
    private static readonly string Key2 = NewKey();
    private static readonly string Hash1 = NewKey();
    private static readonly string Hash2 = NewKey();

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static SecurityOptions Legacy() => new() { PhoneEncryptionKey = Key1, PhoneHashKey = Hash1 };

    private static SecurityOptions Rotating() => new()
    {
        PhoneEncryptionKey = Key1,
        PhoneHashKey = Hash1,
        PhoneEncryptionKeys = { ["2"] = Key2 },
        ActivePhoneEncryptionKeyId = "2",
        PhoneHashKeys = { ["2"] = Hash2 },
        ActivePhoneHashKeyVersion = 2,
    };

    private static SecurityOptions Key2Only() => new() { PhoneEncryptionKeys = { ["2"] = Key2 }, PhoneHashKeys = { ["2"] = Hash2 } };

    private static PhoneNumberProtector Protector(SecurityOptions options) => new(Options.Create(options));

    [Fact]
    public void AfterRotation_OldCiphertextsDecrypt_NewOnesUseKey2_AndKey2AloneReadsTheNewOnes()
    {
        var old = Protector(Legacy()).Encrypt(Number);
        var rotating = Protector(Rotating());

        var fresh = rotating.Encrypt(Number);

        Assert.Equal(Number, rotating.Decrypt(old));
        Assert.False(rotating.IsCurrent(old));
        Assert.True(rotating.IsCurrent(fresh));
        Assert.Equal(PhoneNumberProtector.Fingerprint(Convert.FromBase64String(Key2)), rotating.ActiveKeyId);
        Assert.Equal(Number, Protector(Key2Only()).Decrypt(fresh));
        var unreadable = Assert.Throws<StoredNumberUnreadableException>(() => Protector(Key2Only()).Decrypt(old));
        Assert.DoesNotContain(Number.Digits, unreadable.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void HashVersions_Version1IsBare_LaterOnesCarryTheirVersion_AndLookupsCoverEveryVersion()
    {
        var legacy = Protector(Legacy()).Hash(Number);
        var rotating = Protector(Rotating());

        var fresh = rotating.Hash(Number);

        Assert.Equal(32, legacy.Length);
        Assert.Equal(1, PhoneNumberProtector.HashVersionOf(legacy));
        Assert.Equal(33, fresh.Length);
        Assert.Equal(2, PhoneNumberProtector.HashVersionOf(fresh));
        Assert.Equal([fresh, legacy], rotating.HashesForLookup(Number));
        Assert.Equal(fresh, Protector(Key2Only()).Hash(Number));
        Assert.NotEqual(fresh[1..], legacy);
    }

    [Fact]
    public void AnErasedNumber_IsStoredAsZeroBytes_AndReadsBackErased()
    {
        var protector = Protector(Legacy());

        Assert.Empty(protector.Encrypt(PhoneNumber.Erased));
        Assert.True(protector.Decrypt([]).IsErased);
        Assert.Equal(string.Empty, protector.Decrypt([]).Masked);
    }

    [Fact]
    public void TheModelKey_DiffersPerKeyring()
    {
        Assert.NotEqual(Protector(Legacy()).ModelKey, Protector(Rotating()).ModelKey);
        Assert.NotEqual(Protector(Rotating()).ModelKey, Protector(Key2Only()).ModelKey);
        Assert.Equal(Protector(Rotating()).ModelKey, Protector(Rotating()).ModelKey);
    }

    [Theory]
    [InlineData("noKeys", "Security:PhoneEncryptionKey (or Security:PhoneEncryptionKeys) is required")]
    [InlineData("twoWithoutActive", "Security:ActivePhoneEncryptionKeyId is required when more than one encryption key is configured")]
    [InlineData("unknownActive", "Security:ActivePhoneEncryptionKeyId names key id 3, which is not configured")]
    [InlineData("shortKey", "Security:PhoneEncryptionKeys:2 must be the base64 of 32 bytes")]
    [InlineData("badVersion", "Security:PhoneHashKeys:x: a hash key version is a whole number from 1 to 255")]
    [InlineData("duplicate", "Encryption key id 1 is configured twice (Security:PhoneEncryptionKey, Security:PhoneEncryptionKeys:1)")]
    [InlineData("unknownHashVersion", "Security:ActivePhoneHashKeyVersion names version 7, which is not configured")]
    public void AKeyringFault_IsNamedBySetting(string fault, string message)
    {
        var options = fault switch
        {
            "noKeys" => new SecurityOptions { PhoneHashKey = Hash1 },
            "twoWithoutActive" => new SecurityOptions { PhoneEncryptionKey = Key1, PhoneHashKey = Hash1, PhoneEncryptionKeys = { ["2"] = Key2 } },
            "unknownActive" => new SecurityOptions { PhoneEncryptionKey = Key1, PhoneHashKey = Hash1, ActivePhoneEncryptionKeyId = "3" },
            "shortKey" => new SecurityOptions { PhoneHashKey = Hash1, PhoneEncryptionKeys = { ["2"] = Convert.ToBase64String(new byte[16]) } },
            "badVersion" => new SecurityOptions { PhoneEncryptionKey = Key1, PhoneHashKeys = { ["x"] = Hash2 } },
            "duplicate" => new SecurityOptions { PhoneEncryptionKey = Key1, PhoneHashKey = Hash1, PhoneEncryptionKeys = { ["1"] = Key2 } },
            _ => new SecurityOptions { PhoneEncryptionKey = Key1, PhoneHashKey = Hash1, ActivePhoneHashKeyVersion = 7 },
        };

        var result = new SecurityOptionsValidator(new Environment("Production")).Validate(null, options);

        Assert.True(result.Failed);
        Assert.Contains(result.Failures!, f => f.Contains(message, StringComparison.Ordinal));
        Assert.Throws<InvalidOperationException>(() => Protector(options));
    }

    [Theory]
    [InlineData("Security:PhoneEncryptionKey")]
    [InlineData("Security:PhoneHashKey")]
    [InlineData("Security:PhoneEncryptionKeys:2")]
    [InlineData("Security:PhoneHashKeys:2")]
    public void OutsideDevelopment_ADevelopmentKey_IsRefused_NamingTheSetting(string setting)
    {
        var options = Rotating();
        switch (setting)
        {
            case "Security:PhoneEncryptionKey": options.PhoneEncryptionKey = DevelopmentKeys.PhoneEncryptionKey; break;
            case "Security:PhoneHashKey": options.PhoneHashKey = DevelopmentKeys.PhoneHashKey; break;
            case "Security:PhoneEncryptionKeys:2": options.PhoneEncryptionKeys["2"] = DevelopmentKeys.PhoneEncryptionKey; break;
            default: options.PhoneHashKeys["2"] = DevelopmentKeys.PhoneHashKey; break;
        }

        var production = new SecurityOptionsValidator(new Environment("Production")).Validate(null, options);
        var staging = new SecurityOptionsValidator(new Environment("Staging")).Validate(null, options);
        var development = new SecurityOptionsValidator(new Environment("Development")).Validate(null, options);

        Assert.True(production.Failed);
        var failure = Assert.Single(production.Failures!);
        Assert.StartsWith($"{setting} is a development key", failure, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKeys.PhoneEncryptionKey, failure, StringComparison.Ordinal);
        Assert.DoesNotContain(DevelopmentKeys.PhoneHashKey, failure, StringComparison.Ordinal);
        Assert.True(staging.Failed);
        Assert.True(development.Succeeded);
        Assert.True(new SecurityOptionsValidator(new Environment("Production")).Validate(null, Rotating()).Succeeded);
    }

    [Fact]
    public void TheDevelopmentKeys_AreTheOnesInAppsettingsDevelopment()
    {
        var directory = RepositoryRoot.Find();
        Assert.NotNull(directory);
        var text = File.ReadAllText(Path.Combine(directory.FullName, "src", "Api", "appsettings.Development.json"));
        using var json = JsonDocument.Parse(text, new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip });
        var security = json.RootElement.GetProperty("Security");
        Assert.True(DevelopmentKeys.IsDevelopmentKey(security.GetProperty("PhoneEncryptionKey").GetString()));
        Assert.True(DevelopmentKeys.IsDevelopmentKey(security.GetProperty("PhoneHashKey").GetString()));
        Assert.False(DevelopmentKeys.IsDevelopmentKey(NewKey()));
    }

    private sealed class Environment(string name) : IHostEnvironment
    {
        public string EnvironmentName { get; set; } = name;

        public string ApplicationName { get; set; } = "BindingService.Api";

        public string ContentRootPath { get; set; } = AppContext.BaseDirectory;

        public IFileProvider ContentRootFileProvider { get; set; } = new NullFileProvider();
    }
}
