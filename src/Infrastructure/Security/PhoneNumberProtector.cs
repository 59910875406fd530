using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// Encrypts phone numbers at rest (AES-256-GCM, random nonce) under a keyring and derives their keyed lookup hash
/// (HMAC-SHA256) under a versioned hash key (docs/operations.md, "Rotating keys").
/// <para>
/// Ciphertext: format byte 1, the 4-byte key id (the first 4 bytes of SHA-256 of the key: its fingerprint, so the
/// ciphertexts written before the keyring existed keep reading), the 12-byte nonce, the cipher and the 16-byte tag; the
/// header is authenticated. New ciphertexts use the active key; every configured key decrypts. An erased number (see
/// <see cref="PhoneNumber.Erased"/>) is stored as zero bytes.
/// </para>
/// <para>
/// Hash: version 1 is the bare 32-byte HMAC (the format of before versions existed); version 2 and later are one
/// version byte followed by the HMAC. New hashes use the active version; <see cref="HashesForLookup"/> gives the hash under
/// every configured version, so lookups keep finding rows the re-encryption job has not re-hashed yet.
/// </para>
/// </summary>
public sealed class PhoneNumberProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + 4; // format + key id
    private const int HmacSize = 32;

    private readonly Dictionary<uint, byte[]> _encryptionKeys = [];
    private readonly SortedDictionary<byte, byte[]> _hashKeys = [];
    private readonly byte[] _activeKey;

    public PhoneNumberProtector(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        if (settings.Problems() is { Count: > 0 } problems)
        {
            throw new InvalidOperationException(string.Join(" ", problems));
        }

        var activeId = settings.ActiveEncryptionKeyId();
        byte[]? active = null;
        foreach (var (id, _, base64) in settings.EncryptionKeys())
        {
            var key = Convert.FromBase64String(base64);
            _encryptionKeys[Fingerprint(key)] = key;
            if (id == activeId)
            {
                active = key;
            }
        }

        _activeKey = active!;
        ActiveKeyId = Fingerprint(_activeKey);
        foreach (var (version, _, base64) in settings.HashKeys())
        {
            _hashKeys[(byte)SecurityOptions.ParseVersion(version)!.Value] = Convert.FromBase64String(base64);
        }

        ActiveHashVersion = settings.ActiveHashKeyVersion();
        ModelKey = string.Join(
            ",",
            _encryptionKeys.Keys.Order().Select(k => k.ToString("x8", null))
                .Append($"active={ActiveKeyId:x8}")
                .Concat(_hashKeys.Select(h => $"h{h.Key}={Convert.ToHexString(SHA256.HashData(h.Value), 0, 4)}"))
                .Append($"hash={ActiveHashVersion}"));
    }

    /// <summary>The key id (fingerprint) new ciphertexts carry.</summary>
    public uint ActiveKeyId { get; }

    /// <summary>The hash key version new hashes are computed with.</summary>
    public byte ActiveHashVersion { get; }

    /// <summary>Identifies the whole keyring, e.g. for the EF model cache (the model's converters capture this instance).</summary>
    public string ModelKey { get; }

    /// <summary>The key ids (fingerprints) that decrypt.</summary>
    public IReadOnlyCollection<uint> KeyIds => _encryptionKeys.Keys;

    /// <summary>The configured hash key versions.</summary>
    public IReadOnlyCollection<byte> HashVersions => _hashKeys.Keys;

    /// <summary>The 4-byte key id of a key, as written in its ciphertexts.</summary>
    /// <summary>
    /// A 32-byte key for another purpose (e.g. the receipt inbox's payloads) derived (HKDF-SHA256) from encryption key
    /// <paramref name="keyId"/>, so it rotates with the keyring. Throws <see cref="CryptographicException"/> for a key
    /// no longer configured.
    /// </summary>
    public byte[] DeriveKey(uint keyId, string purpose) =>
        _encryptionKeys.TryGetValue(keyId, out var key)
            ? HKDF.DeriveKey(HashAlgorithmName.SHA256, key, 32, info: System.Text.Encoding.ASCII.GetBytes(purpose))
            : throw new CryptographicException("The payload was encrypted with a key that is no longer configured.");

    public static uint Fingerprint(byte[] key) => BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(key));

    public byte[] Encrypt(PhoneNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        if (number.IsErased)
        {
            return [];
        }

        var plain = Encoding.ASCII.GetBytes(number.Digits);
        var output = new byte[HeaderSize + NonceSize + plain.Length + TagSize];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1, 4), ActiveKeyId);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var cipher = output.AsSpan(HeaderSize + NonceSize, plain.Length);
        var tag = output.AsSpan(HeaderSize + NonceSize + plain.Length, TagSize);
        using var aes = new AesGcm(_activeKey, TagSize);
        aes.Encrypt(nonce, plain, cipher, tag, output.AsSpan(0, HeaderSize));
        return output;
    }

    /// <summary>The number in <paramref name="data"/>; <see cref="StoredNumberUnreadableException"/> when no configured key opens it.</summary>
    public PhoneNumber Decrypt(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length == 0)
        {
            return PhoneNumber.Erased;
        }

        if (data.Length < HeaderSize + NonceSize + TagSize || data[0] != FormatVersion)
        {
            throw new StoredNumberUnreadableException("unrecognised format.");
        }

        if (!_encryptionKeys.TryGetValue(KeyIdOf(data), out var key))
        {
            throw new StoredNumberUnreadableException($"it was encrypted with key id {KeyIdOf(data):x8}, which is not configured.");
        }

        var nonce = data.AsSpan(HeaderSize, NonceSize);
        var cipherLength = data.Length - HeaderSize - NonceSize - TagSize;
        var cipher = data.AsSpan(HeaderSize + NonceSize, cipherLength);
        var tag = data.AsSpan(HeaderSize + NonceSize + cipherLength, TagSize);
        var plain = new byte[cipherLength];
        try
        {
            using var aes = new AesGcm(key, TagSize);
            aes.Decrypt(nonce, cipher, tag, plain, data.AsSpan(0, HeaderSize));
        }
        catch (CryptographicException ex)
        {
            throw new StoredNumberUnreadableException("the ciphertext does not authenticate (damaged).", ex);
        }

        return PhoneNumber.TryParse(Encoding.ASCII.GetString(plain), out var number)
            ? number
            : throw new StoredNumberUnreadableException("the plaintext is not a phone number.");
    }

    /// <summary>Whether <paramref name="data"/> was written with the active key (or holds an erased number): nothing to re-encrypt.</summary>
    public bool IsCurrent(byte[] data) => data.Length == 0 || (data.Length >= HeaderSize && KeyIdOf(data) == ActiveKeyId);

    /// <summary>Deterministic keyed hash under the active version: equal numbers give equal hashes; without the key it reveals nothing.</summary>
    public byte[] Hash(PhoneNumber number) => HashWith(ActiveHashVersion, number);

    /// <summary>The number's hash under every configured version, the active one first.</summary>
    public IReadOnlyList<byte[]> HashesForLookup(PhoneNumber number) =>
        [Hash(number), .. _hashKeys.Keys.Where(v => v != ActiveHashVersion).Select(v => HashWith(v, number))];

    /// <summary>The version a stored hash was computed with.</summary>
    public static byte HashVersionOf(byte[] hash)
    {
        ArgumentNullException.ThrowIfNull(hash);
        return hash.Length == HmacSize ? (byte)1 : hash[0];
    }

    private byte[] HashWith(byte version, PhoneNumber number)
    {
        ArgumentNullException.ThrowIfNull(number);
        Span<byte> digits = stackalloc byte[Encoding.ASCII.GetMaxByteCount(number.Digits.Length)];
        digits = digits[..Encoding.ASCII.GetBytes(number.Digits, digits)];
        if (version == 1)
        {
            return HMACSHA256.HashData(_hashKeys[version], digits);
        }

        var hash = new byte[1 + HmacSize];
        hash[0] = version;
        HMACSHA256.HashData(_hashKeys[version], digits, hash.AsSpan(1));
        return hash;
    }

    private static uint KeyIdOf(byte[] data) => BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(1, 4));
}
