using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests.Operators;

/// <summary>
/// Issue 14, operators' number endpoints against the simulator: provider refusals mapped to clear problems with nothing
/// audited, the Idempotency-Key a purchase needs, the stock that buying consumes, and the audit's paging. The happy path
/// end to end is <see cref="NumberScenarioTests"/>.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class NumberAdministrationTests(ServiceFixture fixture) : IAsyncLifetime
{
    private const string Pool = SimulatorHost.PoolKey;

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Buy_WhereNothingIsOnSale_Is422OutOfStock_AndNothingIsAudited()
    {
        var refused = await BuyAsync(new { city = "拉萨", specId = 1 }, Guid.NewGuid().ToString());

        await AssertProblemAsync(refused, HttpStatusCode.UnprocessableEntity, "number.out_of_stock");
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit"));
    }

    [Fact]
    public async Task Buy_WithoutIdempotencyKey_Is400_AndBuysNothing()
    {
        var before = await StockAsync("北京");

        var refused = await BuyAsync(new { city = "北京", specId = 1 }, key: null);

        await AssertProblemAsync(refused, HttpStatusCode.BadRequest, "request.invalid");
        Assert.Equal(before, await StockAsync("北京"));
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit"));
    }

    [Fact]
    public async Task Buy_TwiceWithOneKey_BuysOnce_AndAuditsOnce()
    {
        var before = await StockAsync("杭州");
        var key = Guid.NewGuid().ToString();

        var first = await BuyAsync(new { city = "杭州" }, key);
        var second = await BuyAsync(new { city = "杭州" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        var bought = await first.Content.ReadFromJsonAsync<JsonElement>();
        var x = bought.GetProperty("secretNo").GetString();
        Assert.Equal(x, (await second.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secretNo").GetString());
        Assert.Equal(JsonValueKind.Null, bought.GetProperty("inventoryState").ValueKind); // not a local pool
        Assert.Equal(before - 1, await StockAsync("杭州"));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM operator_audit WHERE action = 'number.buy' AND subject = '{x}' AND pool_key = '{Pool}'"));
    }

    [Fact]
    public async Task Lock_OfANumberTheProviderDoesNotHave_Is404_AndNothingIsAudited()
    {
        var refused = await fixture.Client.PutAsync($"/v1/admin/pools/{Pool}/numbers/17999999999/lock", null);

        await AssertProblemAsync(refused, HttpStatusCode.NotFound, "number.not_found");
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit"));
    }

    [Fact]
    public async Task Release_WhileARideIsOnTheNumber_Is409_AndUnbindsNothing()
    {
        var orderId = $"ride-{Guid.NewGuid():N}";
        var ride = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next(), city = "北京" });
        Assert.Equal(HttpStatusCode.Created, ride.StatusCode);
        var x = (await ride.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString();

        var refused = await fixture.Client.DeleteAsync($"/v1/admin/pools/{Pool}/numbers/{x}");

        await AssertProblemAsync(refused, HttpStatusCode.Conflict, "number.bound");
        Assert.Equal("active", (await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/ride-orders/{orderId}/protection")).GetProperty("status").GetString());
        Assert.Single(await fixture.Simulator.BindingsAsync(), b => b.GetProperty("secretNo").GetString() == x);
        var detail = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/pools/{Pool}/numbers/{x}");
        Assert.Equal(1, detail.GetProperty("openBindings").GetInt32());
        Assert.Equal("bound", detail.GetProperty("providerStatus").GetString());
        Assert.Equal(0L, await fixture.ScalarAsync<long>("SELECT count(*) FROM operator_audit"));
    }

    [Fact]
    public async Task Stock_PerCity_ListsTheCitiesOnSale()
    {
        var stock = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/number-stock?city={Uri.EscapeDataString("全国列表")}&specId=1");

        var cities = stock.GetProperty("cities").EnumerateArray().ToDictionary(c => c.GetProperty("city").GetString()!, c => c.GetProperty("amount").GetInt64());
        Assert.Contains("北京", cities.Keys);
        Assert.Equal(cities.Values.Sum(), stock.GetProperty("amount").GetInt64());
        await AssertProblemAsync(await fixture.Client.GetAsync("/v1/admin/number-stock?specId=9"), HttpStatusCode.BadRequest, "request.invalid");
    }

    [Fact]
    public async Task Audit_PagesNewestFirst()
    {
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(new { city = "武汉" }, Guid.NewGuid().ToString())).StatusCode);
        Assert.Equal(HttpStatusCode.Created, (await BuyAsync(new { city = "武汉" }, Guid.NewGuid().ToString())).StatusCode);

        var first = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/audit?poolKey={Pool}&limit=1");
        var next = first.GetProperty("nextBefore").GetInt64();
        var second = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/audit?poolKey={Pool}&limit=1&before={next}");

        var a = Assert.Single(first.GetProperty("entries").EnumerateArray().ToList());
        var b = Assert.Single(second.GetProperty("entries").EnumerateArray().ToList());
        Assert.True(a.GetProperty("id").GetInt64() > b.GetProperty("id").GetInt64());
        Assert.NotEqual(a.GetProperty("subject").GetString(), b.GetProperty("subject").GetString());
        Assert.Equal(JsonValueKind.Null, second.GetProperty("nextBefore").ValueKind);
    }

    private async Task<HttpResponseMessage> BuyAsync(object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"/v1/admin/pools/{Pool}/numbers/purchases") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await fixture.Client.SendAsync(request);
    }

    private async Task<long> StockAsync(string city) =>
        (await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/admin/number-stock?city={Uri.EscapeDataString(city)}")).GetProperty("amount").GetInt64();

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string code)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(code, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
    }
}
