using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BindingService.Domain.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// Encrypts phone numbers at rest (AES-256-GCM, random nonce, key id prefixed so keys can rotate)
/// and derives the keyed lookup hash (HMAC-SHA256) used by indexes and equality lookups.
/// </summary>
public sealed class PhoneNumberProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + 4; // version + key id

    private readonly byte[] _encryptionKey;
    private readonly byte[] _hashKey;
    private readonly uint _keyId;

    public PhoneNumberProtector(IOptions<SecurityOptions> options)
    {
        _encryptionKey = Convert.FromBase64String(options.Value.PhoneEncryptionKey);
        _hashKey = Convert.FromBase64String(options.Value.PhoneHashKey);
        if (_encryptionKey.Length != 32)
        {
            throw new InvalidOperationException("Security:PhoneEncryptionKey must be 32 bytes (base64).");
        }

        if (_hashKey.Length < 32)
        {
            throw new InvalidOperationException("Security:PhoneHashKey must be at least 32 bytes (base64).");
        }

        // A short fingerprint of the key identifies which key encrypted a value.
        _keyId = BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(_encryptionKey));
    }

    /// <summary>Identifies the key set, e.g. for the EF model cache.</summary>
    public uint KeyId => _keyId;

    public byte[] Encrypt(PhoneNumber number)
    {
        var plain = Encoding.ASCII.GetBytes(number.Digits);
        var output = new byte[HeaderSize + NonceSize + plain.Length + TagSize];
        output[0] = FormatVersion;
        BinaryPrimitives.WriteUInt32BigEndian(output.AsSpan(1, 4), _keyId);
        var nonce = output.AsSpan(HeaderSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);
        var cipher = output.AsSpan(HeaderSize + NonceSize, plain.Length);
        var tag = output.AsSpan(HeaderSize + NonceSize + plain.Length, TagSize);
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, cipher, tag, output.AsSpan(0, HeaderSize));
        return output;
    }

    public PhoneNumber Decrypt(byte[] data)
    {
        if (data.Length < HeaderSize + NonceSize + TagSize || data[0] != FormatVersion)
        {
            throw new CryptographicException("Unrecognised encrypted phone number format.");
        }

        if (BinaryPrimitives.ReadUInt32BigEndian(data.AsSpan(1, 4)) != _keyId)
        {
            throw new CryptographicException("The phone number was encrypted with another key.");
        }

        var nonce = data.AsSpan(HeaderSize, NonceSize);
        var cipherLength = data.Length - HeaderSize - NonceSize - TagSize;
        var cipher = data.AsSpan(HeaderSize + NonceSize, cipherLength);
        var tag = data.AsSpan(HeaderSize + NonceSize + cipherLength, TagSize);
        var plain = new byte[cipherLength];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(nonce, cipher, tag, plain, data.AsSpan(0, HeaderSize));
        return PhoneNumber.Parse(Encoding.ASCII.GetString(plain));
    }

    /// <summary>Deterministic keyed hash: equal numbers give equal hashes; without the key it reveals nothing.</summary>
    public byte[] Hash(PhoneNumber number) => HMACSHA256.HashData(_hashKey, Encoding.ASCII.GetBytes(number.Digits));
}
