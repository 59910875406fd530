using System.Net;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>PhoneNumberEncrypt, Dytnsapi 2020-02-17 (docs/provider-rules.md, 'Endpoint and version', R-ENC-1..5, A.1).</summary>
public sealed class PhoneNumberEncryptTests
{
    private const string AuthCode = "SIMULATOR-AUTH-CODE";

    private static Task<PopResponse> Encrypt(RunningSimulator sim, string number, string authCode = AuthCode, string version = "2020-02-17", params (string, string)[] extra) =>
        sim.Pop.SendAsync(new PopCall("PhoneNumberEncrypt", [("AuthCode", authCode), ("InputNumber", number), ("Mask", "NORMAL"), .. extra])
        {
            BeforeSigning = p => p["Version"] = version,
        });

    private static JsonElement Data(PopResponse response) => Assert.Single(response.Field("Data").EnumerateArray());

    [Fact]
    public async Task Encrypt_AnswersOne140NumberWithItsExpiry_AndEchoesOutId()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var number = TestPhones.Next();

        var response = await Encrypt(sim, number, extra: ("OutId", "215044c917374256269257695e9d22"));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("OK", response.Code);
        var data = Data(response);
        Assert.Equal(number, data.GetProperty("OriginalNumber").GetString());
        Assert.Matches("^140[0-9]{8}$", data.GetProperty("EncryptedNumber").GetString());
        Assert.Equal(RunningSimulator.ChinaTimeAt(sim.Clock.GetUtcNow().AddHours(24)), data.GetProperty("ExpireTime").GetString());
        Assert.Equal("215044c917374256269257695e9d22", data.GetProperty("OutId").GetString());
    }

    [Fact]
    public async Task Encrypt_IsStableUntilExpiry_ThenGivesANewNumber()
    {
        // B.14: stable mapping until expiry; distinct inputs get distinct numbers.
        await using var sim = await RunningSimulator.StartAsync("Encryption:TtlHours=2");
        var (number, other) = (TestPhones.Next(), TestPhones.Next());

        var first = Data(await Encrypt(sim, number));
        sim.Clock.Advance(TimeSpan.FromMinutes(90));
        var again = Data(await Encrypt(sim, number));
        var otherNumber = Data(await Encrypt(sim, other));

        Assert.Equal(first.GetProperty("EncryptedNumber").GetString(), again.GetProperty("EncryptedNumber").GetString());
        Assert.Equal(first.GetProperty("ExpireTime").GetString(), again.GetProperty("ExpireTime").GetString());
        Assert.NotEqual(first.GetProperty("EncryptedNumber").GetString(), otherNumber.GetProperty("EncryptedNumber").GetString());

        sim.Clock.Advance(TimeSpan.FromMinutes(31));
        var renewed = Data(await Encrypt(sim, number));
        Assert.NotEqual(first.GetProperty("EncryptedNumber").GetString(), renewed.GetProperty("EncryptedNumber").GetString());
        Assert.Equal(RunningSimulator.ChinaTimeAt(sim.Clock.GetUtcNow().AddHours(2)), renewed.GetProperty("ExpireTime").GetString());
    }

    [Fact]
    public async Task AnUnknownAuthCode_IsAuthCodeIllegal_Http400()
    {
        // R-ENC-1.
        await using var sim = await RunningSimulator.StartAsync();

        var response = await Encrypt(sim, TestPhones.Next(), authCode: "QASDW@#**");

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("AuthCodeIllegal", response.Code);
        Assert.Equal("Illegal authCode.", response.Message);
    }

    [Fact]
    public async Task AConfiguredAuthCode_WithPopReservedCharacters_IsAccepted()
    {
        await using var sim = await RunningSimulator.StartAsync("Encryption:AuthCodes:0=QASDW@#**");

        Assert.Equal("OK", (await Encrypt(sim, TestPhones.Next(), authCode: "QASDW@#**")).Code);
        Assert.Equal("AuthCodeIllegal", (await Encrypt(sim, TestPhones.Next())).Code);
    }

    [Theory]
    [InlineData("13800000001,13800000002", "NORMAL", null)]
    [InlineData("0571888888", "NORMAL", null)]
    [InlineData("13800000001", "MD5", null)]
    [InlineData("13800000001", "NORMAL", 65)]
    public async Task InvalidInput_IsInvalidParameter_Http400(string number, string mask, int? outIdLength)
    {
        // R-ENC-2 (one number), R-ENC-3 (Mask NORMAL), R-ENC-4 (OutId <= 64).
        await using var sim = await RunningSimulator.StartAsync();
        (string, string)[] outId = outIdLength is { } n ? [("OutId", new string('a', n))] : [];

        var response = await sim.Pop.SendAsync(new PopCall("PhoneNumberEncrypt", [("AuthCode", AuthCode), ("InputNumber", number), ("Mask", mask), .. outId])
        {
            BeforeSigning = p => p["Version"] = "2020-02-17",
        });

        Assert.Equal(HttpStatusCode.BadRequest, response.Status);
        Assert.Equal("InvalidParameter", response.Code);
    }

    [Fact]
    public async Task TheDyplsapiVersion_IsRefused_AsIsPhoneNumberEncryptsVersionForDyplsapiActions()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var wrongVersion = await Encrypt(sim, TestPhones.Next(), version: "2017-05-25");
        Assert.Equal(HttpStatusCode.BadRequest, wrongVersion.Status);
        Assert.Equal("InvalidVersion", wrongVersion.Code);

        var detail = await sim.Pop.SendAsync(new PopCall("QuerySecretNoDetail", ("SecretNo", "17000000001"), ("PoolKey", RunningSimulator.PoolKey))
        {
            BeforeSigning = p => p["Version"] = "2020-02-17",
        });
        Assert.Equal("InvalidVersion", detail.Code);
    }

    [Fact]
    public async Task UnsubscribedAndRamDeniedAccounts_GetTheirDocumentedErrors()
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Accounts:0:AccessKeyId=" + PopTestClient.DefaultAccessKeyId, "Accounts:0:AccessKeySecret=" + PopTestClient.DefaultSecret,
            "Accounts:1:AccessKeyId=unsubscribed", "Accounts:1:AccessKeySecret=s1",
            "Accounts:2:AccessKeyId=ram-user", "Accounts:2:AccessKeySecret=s2",
            "Encryption:UnsubscribedAccessKeyIds:0=unsubscribed",
            "RamDeniedAccessKeyIds:0=ram-user");

        PopCall Call(string key, string secret) =>
            new("PhoneNumberEncrypt", ("AuthCode", AuthCode), ("InputNumber", TestPhones.Next()), ("Mask", "NORMAL"))
            {
                AccessKeyId = key,
                Secret = secret,
                BeforeSigning = p => p["Version"] = "2020-02-17",
            };

        var unsubscribed = await sim.Pop.SendAsync(Call("unsubscribed", "s1"));
        var denied = await sim.Pop.SendAsync(Call("ram-user", "s2"));

        Assert.Equal((HttpStatusCode.BadRequest, "Product.Unsubscript"), (unsubscribed.Status, unsubscribed.Code));
        Assert.Equal((HttpStatusCode.BadRequest, "Ram.PermissionDeny"), (denied.Status, denied.Code));
    }

    [Fact]
    public async Task TheNumbers_AreMaskedInTheLog()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var number = TestPhones.Next();

        var encrypted = Data(await Encrypt(sim, number)).GetProperty("EncryptedNumber").GetString()!;

        var everything = string.Join('\n', sim.Logs.Entries.Select(l => l.Message + " " + string.Join(' ', l.Values.Values)));
        Assert.DoesNotContain(number, everything, StringComparison.Ordinal);
        Assert.DoesNotContain(encrypted, everything, StringComparison.Ordinal);
        Assert.Contains(number[..3] + "****" + number[^4..], everything, StringComparison.Ordinal);
    }
}
