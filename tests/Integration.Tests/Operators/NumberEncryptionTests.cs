using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests.Operators;

/// <summary>Issue 14, PhoneNumberEncrypt through our API against the simulator: batched, out ids echoed, numbers only masked in the answer, never logged.</summary>
[Collection(ServiceCollection.Name)]
public sealed class NumberEncryptionTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ABatch_IsEncryptedInOrder_WithOutIdsEchoed_AndARepeatGivesTheSameNumbers()
    {
        var first = TestPhones.Next();
        var second = TestPhones.Next();
        var body = new { numbers = new[] { new { number = first, outId = "a-1" }, new { number = second, outId = "b-2" } } };

        var response = await fixture.Client.PostAsJsonAsync("/v1/admin/number-encryption", body);
        var repeat = await fixture.Client.PostAsJsonAsync("/v1/admin/number-encryption", body);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain(first, text, StringComparison.Ordinal);
        Assert.DoesNotContain(second, text, StringComparison.Ordinal);
        var numbers = JsonDocument.Parse(text).RootElement.GetProperty("numbers").EnumerateArray().ToList();
        Assert.Equal(["a-1", "b-2"], numbers.Select(n => n.GetProperty("outId").GetString()));
        Assert.Equal([$"{first[..3]}****{first[^4..]}", $"{second[..3]}****{second[^4..]}"], numbers.Select(n => n.GetProperty("maskedNumber").GetString()));
        Assert.All(numbers, n => Assert.StartsWith("140", n.GetProperty("encryptedNumber").GetString(), StringComparison.Ordinal));
        Assert.NotEqual(numbers[0].GetProperty("encryptedNumber").GetString(), numbers[1].GetProperty("encryptedNumber").GetString());
        Assert.All(numbers, n => Assert.Equal(JsonValueKind.String, n.GetProperty("expiresAt").ValueKind));

        var again = (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("numbers").EnumerateArray().Select(n => n.GetProperty("encryptedNumber").GetString());
        Assert.Equal(numbers.Select(n => n.GetProperty("encryptedNumber").GetString()), again);
        Assert.DoesNotContain(first, await ReadLogAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnInvalidEntry_Is400NamingIt_WithoutTheNumber_AndNothingIsSent()
    {
        var response = await fixture.Client.PostAsJsonAsync("/v1/admin/number-encryption", new { numbers = new[] { new { number = TestPhones.Next(), outId = "ok" }, new { number = "12345", outId = "bad" } } });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("request.invalid", problem.GetProperty("code").GetString());
        Assert.True(problem.GetProperty("errors").TryGetProperty("numbers[1].number", out _));
        Assert.DoesNotContain("12345", problem.GetRawText(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.PostAsJsonAsync("/v1/admin/number-encryption", new { numbers = Array.Empty<object>() })).StatusCode);
    }

    [Fact]
    public async Task AnAuthCodeTheProviderRefuses_Is503Misconfigured()
    {
        await using var factory = new BindingServiceFactory(fixture, new Dictionary<string, string?> { ["Aliyun:Dytnsapi:AuthCode"] = "NOT-OURS" });
        using var client = factory.CreateClient();

        var response = await client.PostAsJsonAsync("/v1/admin/number-encryption", new { numbers = new[] { new { number = TestPhones.Next(), outId = "x" } } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.NotNull(response.Headers.RetryAfter);
        Assert.Equal("encryption.misconfigured", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }

    private async Task<string> ReadLogAsync()
    {
        await using var stream = new FileStream(fixture.LogFilePath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
