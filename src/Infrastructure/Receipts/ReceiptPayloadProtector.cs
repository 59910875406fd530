using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using BindingService.Infrastructure.Security;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Encrypts inbox payloads at rest (AES-256-GCM, random nonce), since receipts carry phone numbers in clear, with a key
/// derived from the active phone encryption key; the 4-byte key id in front names the key that decrypts it, so a
/// payload written before a rotation still reads while its key is configured (docs/operations.md, "Rotating keys").
/// The derived keys are kept (a key id names one key for good); a batch encrypts with one <see cref="Encryptor"/>.
/// </summary>
public sealed class ReceiptPayloadProtector(PhoneNumberProtector keys)
{
    private const string Purpose = "receipt-inbox";
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly ConcurrentDictionary<uint, byte[]> _derived = new();

    /// <summary>Encrypts one message (its UTF-8 text).</summary>
    public byte[] Protect(string message)
    {
        using var encryptor = CreateEncryptor();
        return encryptor.Protect(Encoding.UTF8.GetBytes(message));
    }

    /// <summary>An encryptor under the active key for the messages of one batch (not thread-safe; dispose it).</summary>
    public Encryptor CreateEncryptor() => new(keys.ActiveKeyId, Derived(keys.ActiveKeyId));

    public string Unprotect(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < KeyIdSize + NonceSize + TagSize)
        {
            throw new CryptographicException("Unrecognised inbox payload.");
        }

        var keyId = BinaryPrimitives.ReadUInt32BigEndian(data);
        var length = data.Length - KeyIdSize - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(Derived(keyId), TagSize);
        aes.Decrypt(data.AsSpan(KeyIdSize, NonceSize), data.AsSpan(KeyIdSize + NonceSize, length), data.AsSpan(KeyIdSize + NonceSize + length, TagSize), plain, data.AsSpan(0, KeyIdSize));
        return Encoding.UTF8.GetString(plain);
    }

    private byte[] Derived(uint keyId) => _derived.GetOrAdd(keyId, id => keys.DeriveKey(id, Purpose));

    /// <summary>Encrypts messages under one key: key id (4 bytes, also the associated data), nonce (12), ciphertext, tag (16).</summary>
    public sealed class Encryptor : IDisposable
    {
        private readonly AesGcm _aes;
        private readonly uint _keyId;

        internal Encryptor(uint keyId, byte[] key)
        {
            _keyId = keyId;
            _aes = new AesGcm(key, TagSize);
        }

        public byte[] Protect(ReadOnlySpan<byte> plain)
        {
            var output = new byte[KeyIdSize + NonceSize + plain.Length + TagSize];
            BinaryPrimitives.WriteUInt32BigEndian(output, _keyId);
            RandomNumberGenerator.Fill(output.AsSpan(KeyIdSize, NonceSize));
            _aes.Encrypt(
                output.AsSpan(KeyIdSize, NonceSize), plain, output.AsSpan(KeyIdSize + NonceSize, plain.Length),
                output.AsSpan(KeyIdSize + NonceSize + plain.Length, TagSize), output.AsSpan(0, KeyIdSize));
            return output;
        }

        public void Dispose() => _aes.Dispose();
    }
}
