using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using BindingService.Infrastructure.Security;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Encrypts inbox payloads at rest (AES-256-GCM, random nonce), since receipts carry phone numbers in clear, with a key
/// derived from the active phone encryption key; the 4-byte key id in front names the key that decrypts it, so a
/// payload written before a rotation still reads while its key is configured (docs/operations.md, "Rotating keys").
/// </summary>
public sealed class ReceiptPayloadProtector(PhoneNumberProtector keys)
{
    private const string Purpose = "receipt-inbox";
    private const int KeyIdSize = 4;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    public byte[] Protect(string message)
    {
        var plain = Encoding.UTF8.GetBytes(message);
        var output = new byte[KeyIdSize + NonceSize + plain.Length + TagSize];
        BinaryPrimitives.WriteUInt32BigEndian(output, keys.ActiveKeyId);
        RandomNumberGenerator.Fill(output.AsSpan(KeyIdSize, NonceSize));
        using var aes = new AesGcm(keys.DeriveKey(keys.ActiveKeyId, Purpose), TagSize);
        aes.Encrypt(output.AsSpan(KeyIdSize, NonceSize), plain, output.AsSpan(KeyIdSize + NonceSize, plain.Length), output.AsSpan(KeyIdSize + NonceSize + plain.Length, TagSize), output.AsSpan(0, KeyIdSize));
        return output;
    }

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
        using var aes = new AesGcm(keys.DeriveKey(keyId, Purpose), TagSize);
        aes.Decrypt(data.AsSpan(KeyIdSize, NonceSize), data.AsSpan(KeyIdSize + NonceSize, length), data.AsSpan(KeyIdSize + NonceSize + length, TagSize), plain, data.AsSpan(0, KeyIdSize));
        return Encoding.UTF8.GetString(plain);
    }
}
