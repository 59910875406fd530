using System.Security.Cryptography;
using System.Text;
using BindingService.Application.Abstractions;
using BindingService.Domain.Common;
using BindingService.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Security;

public sealed class PhoneNumberProtectorTests
{
    private static readonly PhoneNumber Number = PhoneNumber.Parse("13800138000");

    private static PhoneNumberProtector NewProtector(byte[]? encryptionKey = null, byte[]? hashKey = null) =>
        new(Options.Create(new SecurityOptions
        {
            PhoneEncryptionKey = Convert.ToBase64String(encryptionKey ?? RandomNumberGenerator.GetBytes(32)),
            PhoneHashKey = Convert.ToBase64String(hashKey ?? RandomNumberGenerator.GetBytes(32)),
        }));

    [Fact]
    public void Encrypt_ThenDecrypt_GivesTheNumberBack()
    {
        var protector = NewProtector();

        Assert.Equal(Number, protector.Decrypt(protector.Encrypt(Number)));
    }

    [Fact]
    public void Ciphertext_NeverContainsTheDigits_AndDiffersEachTime()
    {
        var protector = NewProtector();

        var first = protector.Encrypt(Number);
        var second = protector.Encrypt(Number);

        Assert.NotEqual(first, second);
        Assert.DoesNotContain("13800138000", Encoding.ASCII.GetString(first));
        Assert.DoesNotContain("13800138000", Convert.ToHexString(first));
    }

    [Fact]
    public void Decrypt_OfATamperedCiphertext_Fails()
    {
        var protector = NewProtector();
        var data = protector.Encrypt(Number);
        data[^1] ^= 0x01;

        Assert.Throws<StoredNumberUnreadableException>(() => protector.Decrypt(data));
    }

    [Fact]
    public void Decrypt_WithAnotherKey_Fails()
    {
        var data = NewProtector().Encrypt(Number);

        Assert.Throws<StoredNumberUnreadableException>(() => NewProtector().Decrypt(data));
    }

    [Fact]
    public void Hash_IsStableForOneKey_DiffersAcrossKeysAndNumbers()
    {
        var hashKey = RandomNumberGenerator.GetBytes(32);
        var protector = NewProtector(hashKey: hashKey);

        Assert.Equal(protector.Hash(Number), NewProtector(hashKey: hashKey).Hash(PhoneNumber.Parse("+8613800138000")));
        Assert.NotEqual(protector.Hash(Number), NewProtector().Hash(Number));
        Assert.NotEqual(protector.Hash(Number), protector.Hash(PhoneNumber.Parse("13800138001")));
        Assert.Equal(32, protector.Hash(Number).Length);
    }

    [Fact]
    public void Hash_IsNotAPlainHashOfTheDigits()
    {
        var protector = NewProtector();

        Assert.NotEqual(SHA256.HashData(Encoding.ASCII.GetBytes("13800138000")), protector.Hash(Number));
    }

    [Fact]
    public void AnEncryptionKeyOfTheWrongSize_IsRefused()
    {
        Assert.Throws<InvalidOperationException>(() => NewProtector(encryptionKey: RandomNumberGenerator.GetBytes(16)));
    }
}
