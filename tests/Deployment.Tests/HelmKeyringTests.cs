using System.Text;
using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>The chart's phone keyring (docs/operations.md, "Rotating keys"): further keys from the Secret, the active ids as plain values, key 1 retired.</summary>
public sealed partial class HelmTemplateTests
{
    [Fact]
    public async Task Keyring_values_render_each_key_from_the_secret_and_the_active_ids_as_plain_values()
    {
        const string key2 = "c2Vjb25kLXBob25lLWtleS1mb3ItdGhlLXJvdGF0aW9uISE=";
        const string hash2 = "c2Vjb25kLWhhc2gta2V5LWZvci10aGUtcm90YXRpb24hISE=";
        var rendered = await Helm.TemplateAsync(
            "--set-string", $"secrets.phoneEncryptionKeys.2={key2}",
            "--set-string", $"secrets.phoneHashKeys.2={hash2}",
            "--set-string", "secrets.activePhoneEncryptionKeyId=2",
            "--set-string", "secrets.activePhoneHashKeyVersion=2");
        var data = rendered.Get("Secret").StringMap("data").ToDictionary(p => p.Key, p => Encoding.UTF8.GetString(Convert.FromBase64String(p.Value)));
        Assert.Equal(key2, data["phone-encryption-key-2"]);
        Assert.Equal(hash2, data["phone-hash-key-2"]);
        Assert.Equal(HelmTool.RequiredSecrets["phoneEncryptionKey"], data["phone-encryption-key"]);

        var env = rendered.ApiContainer.Seq("env").ToDictionary(e => e.Str("name"));
        var files = SecretFiles(rendered);
        Assert.Equal("Security__PhoneEncryptionKeys__2", files["phone-encryption-key-2"]);
        Assert.Equal("Security__PhoneHashKeys__2", files["phone-hash-key-2"]);
        Assert.Equal("2", env["Security__ActivePhoneEncryptionKeyId"].Str("value"));
        Assert.Equal("2", env["Security__ActivePhoneHashKeyVersion"].Str("value"));
        Assert.Equal("Security__PhoneEncryptionKey", files["phone-encryption-key"]);

        // Key 1 retired: neither stored nor passed, and no longer required.
        var retired = await Helm.TemplateAsync(
            "--set-string", $"secrets.phoneEncryptionKeys.2={key2}",
            "--set-string", $"secrets.phoneHashKeys.2={hash2}",
            "--set", "secrets.legacyPhoneKeys=false",
            "--set-string", "secrets.phoneEncryptionKey=",
            "--set-string", "secrets.phoneHashKey=");
        Assert.DoesNotContain("phone-encryption-key", retired.Get("Secret").StringMap("data").Keys);
        var retiredFiles = SecretFiles(retired).Values.ToList();
        Assert.DoesNotContain("Security__PhoneEncryptionKey", retiredFiles);
        Assert.DoesNotContain("Security__PhoneHashKey", retiredFiles);
        Assert.Contains("Security__PhoneEncryptionKeys__2", retiredFiles);
    }

    /// <summary>The mounted Secret's files: key → file name (the setting it holds).</summary>
    private static Dictionary<string, string> SecretFiles(Rendered rendered) =>
        rendered.Deployment.Seq("spec.template.spec.volumes").Single(v => v.Str("name") == "secrets")
            .Seq("secret.items").ToDictionary(i => i.Str("key"), i => i.Str("path"));
}
