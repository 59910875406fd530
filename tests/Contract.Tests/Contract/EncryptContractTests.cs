using BindingService.AliyunSimulator.Configuration;
using BindingService.Application.Abstractions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;

namespace BindingService.Contract.Tests.Contract;

/// <summary>PhoneNumberEncrypt (Dytnsapi 2020-02-17, docs/provider-rules.md R-ENC-1..5) through our Dytnsapi client against the simulator.</summary>
public sealed class EncryptContractTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    [Contract("PhoneNumberEncrypt", ContractCheck.Success)]
    public async Task PhoneNumberEncrypt_GivesA140Number_StableUntilItExpires()
    {
        var (number, outId) = (TestPhones.Next(), Guid.NewGuid().ToString("N"));
        var request = new PhoneNumberEncryptRequest { AuthCode = NumberDefaults.AuthCode, InputNumber = number, OutId = outId };

        var answer = ProviderAssert.Succeeds(await sim.Dytnsapi.PhoneNumberEncryptAsync(request, None));

        // R-ENC-5: one element; EncryptedNumber starts with 140 (11 digits in the example); OutId echoed (R-ENC-4).
        Assert.Equal("OK", answer.Code);
        var encrypted = Assert.Single(answer.Data!);
        PhoneAssert.Equal(number, encrypted.OriginalNumber);
        Assert.Matches("^140[0-9]{8}$", encrypted.EncryptedNumber);
        Assert.Equal(outId, encrypted.OutId);
        Assert.InRange(ChinaTimes.Parse(encrypted.ExpireTime), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(-2), DateTimeOffset.UtcNow.AddHours(24).AddMinutes(1));

        // B.14: the same 140 number until it expires.
        var again = Assert.Single(ProviderAssert.Succeeds(await sim.Dytnsapi.PhoneNumberEncryptAsync(request with { OutId = null }, None)).Data!);
        Assert.Equal(encrypted.EncryptedNumber, again.EncryptedNumber);
    }

    [Fact]
    [Contract("PhoneNumberEncrypt", ContractCheck.Error)]
    public async Task PhoneNumberEncrypt_WithAnUnknownAuthCode_IsAuthCodeIllegal()
    {
        // R-ENC-1. A wrong AuthCode is our configuration's fault: AuthenticationFailed, like a wrong key.
        var result = await sim.Dytnsapi.PhoneNumberEncryptAsync(new PhoneNumberEncryptRequest { AuthCode = "QASDW@#**", InputNumber = TestPhones.Next() }, None);

        ProviderAssert.Fails(result, "AuthCodeIllegal", ProviderErrorKind.AuthenticationFailed);
    }

    [Fact]
    [Contract("PhoneNumberEncrypt", ContractCheck.Error)]
    public async Task PhoneNumberEncrypt_WithAMaskOtherThanNormal_IsAnInvalidParameter()
    {
        // R-ENC-3: only NORMAL.
        var result = await sim.Dytnsapi.PhoneNumberEncryptAsync(
            new PhoneNumberEncryptRequest { AuthCode = NumberDefaults.AuthCode, InputNumber = TestPhones.Next(), Mask = "MD5" }, None);

        ProviderAssert.Fails(result, "InvalidParameter", ProviderErrorKind.InvalidRequest);
    }
}
