using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// A tracking number leads to one open delivery (docs/api.md, "Attach the tracking number"): the database enforces it
/// (a partial unique index over open bindings), so two instances attaching the same number to two deliveries at the
/// same moment cannot both succeed — one gets 409 <c>delivery.tracking_number_in_use</c> and the lookup finds the other.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class TrackingNumberRaceTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => (await fixture.Simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();

    [Fact]
    public async Task TwoInstancesAttachingOneTrackingNumberToTwoDeliveries_OnlyOneWins_AndTheLookupFindsIt()
    {
        await using var second = new BindingServiceFactory(fixture);
        using var other = second.CreateClient();

        // Both requests pass the early check before either saves: AddAxnTrackNo answers only after 500 ms.
        (await fixture.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { "AddAxnTrackNo" }, answerDelayMs = 500 } })).EnsureSuccessStatusCode();
        for (var round = 0; round < 3; round++)
        {
            var first = await ProtectAsync(fixture.Client);
            var rival = await ProtectAsync(other);
            var trackingNumber = $"YT{Guid.NewGuid():N}"[..20];

            var answers = await Task.WhenAll(
                fixture.Client.PutAsJsonAsync($"/v1/delivery-orders/{first}/protection/tracking-number", new { trackingNumber }),
                other.PutAsJsonAsync($"/v1/delivery-orders/{rival}/protection/tracking-number", new { trackingNumber }));

            var statuses = answers.Select(a => a.StatusCode).Order().ToArray();
            Assert.Equal([HttpStatusCode.OK, HttpStatusCode.Conflict], statuses);
            var loser = answers.Single(a => a.StatusCode == HttpStatusCode.Conflict);
            Assert.Equal("delivery.tracking_number_in_use", (await loser.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            var winner = answers[0].StatusCode == HttpStatusCode.OK ? first : rival;

            var found = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/delivery-orders/by-tracking-number/{trackingNumber}");
            Assert.Equal(winner, found.GetProperty("orderId").GetString());
            var loserView = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/delivery-orders/{(winner == first ? rival : first)}/protection");
            Assert.Equal(JsonValueKind.Null, loserView.GetProperty("trackingNumber").ValueKind);
        }
    }

    private static async Task<string> ProtectAsync(HttpClient client)
    {
        var orderId = $"dlv-{Guid.NewGuid():N}";
        var response = await client.PutAsJsonAsync($"/v1/delivery-orders/{orderId}/protection", new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return orderId;
    }
}
