using System.Security.Cryptography;
using System.Text;
using BindingService.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Encrypts inbox payloads at rest (AES-256-GCM, random nonce) with a key derived (HKDF) from the phone encryption
/// key, since receipts carry phone numbers in clear.
/// </summary>
public sealed class ReceiptPayloadProtector
{
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private readonly byte[] _key;

    public ReceiptPayloadProtector(IOptions<SecurityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = HKDF.DeriveKey(HashAlgorithmName.SHA256, Convert.FromBase64String(options.Value.PhoneEncryptionKey), 32, info: "receipt-inbox"u8.ToArray());
    }

    public byte[] Protect(string message)
    {
        var plain = Encoding.UTF8.GetBytes(message);
        var output = new byte[NonceSize + plain.Length + TagSize];
        RandomNumberGenerator.Fill(output.AsSpan(0, NonceSize));
        using var aes = new AesGcm(_key, TagSize);
        aes.Encrypt(output.AsSpan(0, NonceSize), plain, output.AsSpan(NonceSize, plain.Length), output.AsSpan(NonceSize + plain.Length, TagSize));
        return output;
    }

    public string Unprotect(byte[] data)
    {
        ArgumentNullException.ThrowIfNull(data);
        if (data.Length < NonceSize + TagSize)
        {
            throw new CryptographicException("Unrecognised inbox payload.");
        }

        var length = data.Length - NonceSize - TagSize;
        var plain = new byte[length];
        using var aes = new AesGcm(_key, TagSize);
        aes.Decrypt(data.AsSpan(0, NonceSize), data.AsSpan(NonceSize, length), data.AsSpan(NonceSize + length, TagSize), plain);
        return Encoding.UTF8.GetString(plain);
    }
}
