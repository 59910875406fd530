namespace BindingService.Infrastructure.Security;

/// <summary>Configuration section "Security". Keys come from the environment or a secret store, never a committed file (Development excepted).</summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>Base64 of a 32-byte AES-256-GCM key that encrypts phone numbers at rest.</summary>
    public string PhoneEncryptionKey { get; set; } = string.Empty;

    /// <summary>Base64 of a key of at least 32 bytes for the HMAC-SHA256 lookup hash of phone numbers.</summary>
    public string PhoneHashKey { get; set; } = string.Empty;

    internal static bool IsKey(string? base64, int minBytes, int? exactBytes = null)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[base64.Length];
        if (!Convert.TryFromBase64String(base64, buffer, out var length))
        {
            return false;
        }

        return exactBytes is { } exact ? length == exact : length >= minBytes;
    }
}
