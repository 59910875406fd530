using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests.Operators;

/// <summary>Issue 14, blacklists through our API against the simulator: provider state, storage without numbers in clear, audit, idempotent repeats, refusals, paging.</summary>
[Collection(ServiceCollection.Name)]
public sealed class BlacklistTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = SimulatorHost.PoolKey;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task APair_IsBlacklistedAtTheProvider_StoredWithoutNumbersInClear_Audited_AndARepeatAddsNothing()
    {
        var first = TestPhones.Next();
        var second = TestPhones.Next();
        var body = new { poolKey = Pool, first, second, direction = "firstToSecond", reason = "complaint 118" };

        var created = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", body);
        var repeat = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", body);

        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.OK, repeat.StatusCode);
        var entry = await created.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(entry.GetProperty("id").GetInt64(), (await repeat.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64());
        Assert.Equal(Masked(first), entry.GetProperty("first").GetString());
        Assert.Equal(Masked(second), entry.GetProperty("second").GetString());
        Assert.Equal($"/v1/admin/blacklists/{entry.GetProperty("id").GetInt64()}", created.Headers.Location?.OriginalString);

        var atProvider = Assert.Single((await ProviderAsync()).GetProperty("entries").EnumerateArray());
        Assert.Equal(first, atProvider.GetProperty("first").GetString());
        Assert.Equal(second, atProvider.GetProperty("second").GetString());
        Assert.Equal("PHONEB_REJECT", atProvider.GetProperty("wayControl").GetString()); // first → second blocked

        var stored = Assert.Single(await fixture.RowsAsTextAsync("blacklist_entries"));
        Assert.DoesNotContain(first, stored, StringComparison.Ordinal);
        Assert.DoesNotContain(second, stored, StringComparison.Ordinal);
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM operator_audit WHERE action = 'blacklist.add' AND subject = '{Masked(first)}:{Masked(second)}'"));
        Assert.DoesNotContain(await fixture.RowsAsTextAsync("operator_audit"), r => r.Contains(first, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Deleting_RemovesItAtTheProvider_KeepsItMarked_AndARepeatAnswersTheSame()
    {
        var created = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", new { poolKey = Pool, first = TestPhones.Next(), second = TestPhones.Next() });
        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();

        var deleted = await fixture.Client.DeleteAsync($"/v1/admin/blacklists/{id}");
        var again = await fixture.Client.DeleteAsync($"/v1/admin/blacklists/{id}");

        Assert.Equal(HttpStatusCode.OK, deleted.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(JsonValueKind.String, (await deleted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("deletedAt").ValueKind);
        Assert.Empty((await ProviderAsync()).GetProperty("entries").EnumerateArray());
        Assert.Empty((await fixture.Client.GetFromJsonAsync<JsonElement>("/v1/admin/blacklists")).GetProperty("entries").EnumerateArray());
        Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit WHERE action = 'blacklist.delete'"));
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.DeleteAsync("/v1/admin/blacklists/999999")).StatusCode);
    }

    [Fact]
    public async Task ANumber_GoesOnTheAxnPoolsList_AndOffItAgain()
    {
        var number = TestPhones.Next();
        var created = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/numbers", new { poolKey = SimulatorHost.AxnPoolKey, number, reason = "fraud" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Contains(number, (await ProviderAsync()).GetProperty("poolNumbers").GetProperty(SimulatorHost.AxnPoolKey).EnumerateArray().Select(n => n.GetString()));

        var id = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetInt64();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync($"/v1/admin/blacklists/{id}")).StatusCode);
        Assert.Empty((await ProviderAsync()).GetProperty("poolNumbers").GetProperty(SimulatorHost.AxnPoolKey).EnumerateArray());
    }

    [Fact]
    public async Task AnUnknownPool_Is404_AndNothingIsStoredOrAudited()
    {
        var refused = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", new { poolKey = "FC199999999999999", first = TestPhones.Next(), second = TestPhones.Next() });

        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        Assert.Equal("pool.not_found", (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM blacklist_entries"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit"));
    }

    [Fact]
    public async Task AReasonHoldingAPhoneNumber_OrABadDirection_Is400()
    {
        var refused = await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", new { poolKey = Pool, first = TestPhones.Next(), second = TestPhones.Next(), direction = "up", reason = "called 13800138000 again" });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var errors = (await refused.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("reason", out _));
        Assert.True(errors.TryGetProperty("direction", out _));
        Assert.Empty((await ProviderAsync()).GetProperty("entries").EnumerateArray());
    }

    [Fact]
    public async Task TheList_PagesNewestFirst()
    {
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PostAsJsonAsync("/v1/admin/blacklists/pairs", new { poolKey = Pool, first = TestPhones.Next(), second = TestPhones.Next() })).StatusCode);
        }

        var page1 = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/blacklists?poolKey={Pool}&kind=pair&limit=2");
        var page2 = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/blacklists?poolKey={Pool}&kind=pair&limit=2&before={page1.GetProperty("nextBefore").GetInt64()}");

        var ids = page1.GetProperty("entries").EnumerateArray().Concat(page2.GetProperty("entries").EnumerateArray()).Select(e => e.GetProperty("id").GetInt64()).ToList();
        Assert.Equal(3, ids.Distinct().Count());
        Assert.Equal(ids.OrderDescending(), ids);
        Assert.Equal(JsonValueKind.Null, page2.GetProperty("nextBefore").ValueKind);
    }

    private static string Masked(string number) => $"{number[..3]}****{number[^4..]}";

    private Task<JsonElement> ProviderAsync() => fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/blacklists");
}
