using System.Globalization;

namespace BindingService.AliyunSimulator.State;

/// <summary>PhoneNumberEncrypt's mappings (docs/provider-rules.md, 'PhoneNumberEncrypt'): a real number to a 140 number, stable until it expires (B.14).</summary>
public sealed partial class SimulatorState
{
    private readonly Dictionary<string, EncryptedNumber> encryptedByOriginal = new(StringComparer.Ordinal);
    private readonly Dictionary<string, EncryptedNumber> encryptedByVirtual = new(StringComparer.Ordinal);
    private Random? encryptionRandom;

    /// <summary>The mappings that have not expired at <paramref name="now"/>.</summary>
    public IEnumerable<EncryptedNumber> EncryptedNumbers(DateTimeOffset now) => encryptedByOriginal.Values.Where(e => e.ExpireTime > now);

    /// <summary>
    /// The 140 number of <paramref name="original"/>: the existing one until it expires, else a new 11-digit
    /// <c>140</c> number no live mapping uses, valid for <paramref name="ttl"/>. Drawn from its own seeded source,
    /// so encrypting does not change which X numbers bindings pick.
    /// </summary>
    public EncryptedNumber Encrypt(string original, TimeSpan ttl, DateTimeOffset now)
    {
        if (encryptedByOriginal.TryGetValue(original, out var existing) && existing.ExpireTime > now)
        {
            return existing;
        }

        if (existing is not null)
        {
            encryptedByOriginal.Remove(original);
            encryptedByVirtual.Remove(existing.Encrypted);
        }

        encryptionRandom ??= new Random(seed);
        string candidate;
        do
        {
            candidate = "140" + encryptionRandom.Next(0, 100_000_000).ToString("D8", CultureInfo.InvariantCulture);
        }
        while (encryptedByVirtual.TryGetValue(candidate, out var taken) && taken.ExpireTime > now);

        if (encryptedByVirtual.Remove(candidate, out var stale))
        {
            encryptedByOriginal.Remove(stale.Original);
        }

        var created = new EncryptedNumber(original, candidate, now + ttl);
        encryptedByOriginal[original] = created;
        encryptedByVirtual[candidate] = created;
        return created;
    }

    private void ResetEncryption()
    {
        encryptedByOriginal.Clear();
        encryptedByVirtual.Clear();
        encryptionRandom = null;
    }
}

/// <summary>A real number, its 140 number, and when the 140 number expires (UTC).</summary>
public sealed record EncryptedNumber(string Original, string Encrypted, DateTimeOffset ExpireTime);
