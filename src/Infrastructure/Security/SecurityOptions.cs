using System.Globalization;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// Configuration section "Security": the keyring that encrypts phone numbers at rest and the versioned key of their
/// lookup hash. Keys come from the environment or a secret store, never a committed file (Development excepted).
/// The single-key settings of before (<see cref="PhoneEncryptionKey"/>, <see cref="PhoneHashKey"/>) still work: they are
/// encryption key id <see cref="LegacyKeyId"/> and hash key version 1. Rotation: docs/operations.md, "Rotating keys".
/// </summary>
public sealed class SecurityOptions
{
    public const string SectionName = "Security";

    /// <summary>The key id (and hash key version) the single-key settings stand for.</summary>
    public const string LegacyKeyId = "1";

    /// <summary>Hash key versions are 1 to this (one byte is stored in front of every hash of version 2 and later).</summary>
    public const int MaxHashKeyVersion = 255;

    /// <summary>Base64 of a 32-byte AES-256-GCM key: encryption key id "1" (the setting of before the keyring).</summary>
    public string PhoneEncryptionKey { get; set; } = string.Empty;

    /// <summary>Base64 of a key of at least 32 bytes for the HMAC-SHA256 lookup hash: hash key version 1.</summary>
    public string PhoneHashKey { get; set; } = string.Empty;

    /// <summary>Encryption keys by id (any short name, e.g. "2" or "2026-12"): base64 of 32 bytes each. Every key here decrypts.</summary>
    public Dictionary<string, string> PhoneEncryptionKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key new ciphertexts are written with; may be left out when there is one key.</summary>
    public string? ActivePhoneEncryptionKeyId { get; set; }

    /// <summary>Hash keys by version (1–255): base64 of at least 32 bytes each. Every version here is live.</summary>
    public Dictionary<string, string> PhoneHashKeys { get; set; } = new(StringComparer.Ordinal);

    /// <summary>The version new hashes are computed with; may be left out when there is one hash key.</summary>
    public int? ActivePhoneHashKeyVersion { get; set; }

    /// <summary>Every configured encryption key by id, with the setting that names it (for error messages).</summary>
    internal IReadOnlyList<(string Id, string Setting, string Base64)> EncryptionKeys() =>
        Keyring(PhoneEncryptionKey, nameof(PhoneEncryptionKey), PhoneEncryptionKeys, nameof(PhoneEncryptionKeys));

    /// <summary>Every configured hash key by version text, with the setting that names it.</summary>
    internal IReadOnlyList<(string Id, string Setting, string Base64)> HashKeys() =>
        Keyring(PhoneHashKey, nameof(PhoneHashKey), PhoneHashKeys, nameof(PhoneHashKeys));

    private static List<(string Id, string Setting, string Base64)> Keyring(string legacy, string legacyName, Dictionary<string, string> keys, string keysName)
    {
        var ring = new List<(string, string, string)>();
        if (!string.IsNullOrWhiteSpace(legacy))
        {
            ring.Add((LegacyKeyId, $"{SectionName}:{legacyName}", legacy));
        }

        ring.AddRange(keys.Select(k => (k.Key, $"{SectionName}:{keysName}:{k.Key}", k.Value)));
        return ring;
    }

    /// <summary>What is wrong with the keyring, one message per fault, each naming its setting; empty when it is usable.</summary>
    internal IReadOnlyList<string> Problems()
    {
        var problems = new List<string>();
        var encryption = EncryptionKeys();
        if (encryption.Count == 0)
        {
            problems.Add($"{SectionName}:{nameof(PhoneEncryptionKey)} (or {SectionName}:{nameof(PhoneEncryptionKeys)}) is required: the base64 of 32 random bytes.");
        }

        foreach (var group in encryption.GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Encryption key id {group.Key} is configured twice ({string.Join(", ", group.Select(k => k.Setting))}).");
        }

        problems.AddRange(encryption.Where(k => !IsKey(k.Base64, 32, 32)).Select(k => $"{k.Setting} must be the base64 of 32 bytes."));
        if (ActivePhoneEncryptionKeyId is { } active && encryption.All(k => k.Id != active))
        {
            problems.Add($"{SectionName}:{nameof(ActivePhoneEncryptionKeyId)} names key id {active}, which is not configured.");
        }
        else if (ActivePhoneEncryptionKeyId is null && encryption.Count > 1)
        {
            problems.Add($"{SectionName}:{nameof(ActivePhoneEncryptionKeyId)} is required when more than one encryption key is configured.");
        }

        var hash = HashKeys();
        if (hash.Count == 0)
        {
            problems.Add($"{SectionName}:{nameof(PhoneHashKey)} (or {SectionName}:{nameof(PhoneHashKeys)}) is required: the base64 of at least 32 random bytes.");
        }

        foreach (var group in hash.GroupBy(k => k.Id, StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"Hash key version {group.Key} is configured twice ({string.Join(", ", group.Select(k => k.Setting))}).");
        }

        problems.AddRange(hash.Where(k => ParseVersion(k.Id) is null).Select(k => $"{k.Setting}: a hash key version is a whole number from 1 to {MaxHashKeyVersion}."));
        problems.AddRange(hash.Where(k => !IsKey(k.Base64, 32)).Select(k => $"{k.Setting} must be the base64 of at least 32 bytes."));
        if (ActivePhoneHashKeyVersion is { } version && hash.All(k => ParseVersion(k.Id) != version))
        {
            problems.Add($"{SectionName}:{nameof(ActivePhoneHashKeyVersion)} names version {version}, which is not configured.");
        }
        else if (ActivePhoneHashKeyVersion is null && hash.Count > 1)
        {
            problems.Add($"{SectionName}:{nameof(ActivePhoneHashKeyVersion)} is required when more than one hash key is configured.");
        }

        return problems;
    }

    /// <summary>The id of the key new ciphertexts use: the configured one, else the only key.</summary>
    internal string ActiveEncryptionKeyId() => ActivePhoneEncryptionKeyId ?? EncryptionKeys().Single().Id;

    /// <summary>The version new hashes use: the configured one, else the only hash key's.</summary>
    internal byte ActiveHashKeyVersion() => (byte)(ActivePhoneHashKeyVersion ?? ParseVersion(HashKeys().Single().Id)!.Value);

    internal static int? ParseVersion(string text) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var version) && version is >= 1 and <= MaxHashKeyVersion ? version : null;

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
