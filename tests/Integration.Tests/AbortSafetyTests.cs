using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Abort-safe changes (docs/architecture.md, "The lifecycle rules"): once a change has been sent to the provider, a
/// caller that disconnects no longer cancels it nor the save after it. The simulator applies each change and then
/// holds its answer (AnswerDelayMs); the client disconnects after the provider has applied it; our database must
/// then come to hold what the provider holds. Before the rule, the disconnect cancelled the wait for the answer and
/// the save, and the two stayed apart until the drift check.
/// </summary>
[Collection(ServiceCollection.Name)]
public sealed class AbortSafetyTests(ServiceFixture fixture) : IAsyncLifetime
{
    /// <summary>Far longer than the disconnect takes: the answer comes only after the client has gone.</summary>
    private const int AnswerDelayMs = 3000;

    public Task InitializeAsync() => fixture.ResetAsync();

    public async Task DisposeAsync() => (await fixture.Simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();

    [Fact]
    public async Task ADriverChange_WhoseCallerDisconnects_AfterTheProviderChangedB_IsStillRecorded()
    {
        var url = $"/v1/ride-orders/{Guid.NewGuid():N}/protection";
        Assert.True((await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() })).IsSuccessStatusCode);
        var newDriver = TestPhones.Next();

        await DisconnectOnceAppliedAsync(
            "UpdateSubscription",
            ct => fixture.Client.PutAsJsonAsync($"{url}/driver", new { driverPhone = newDriver }, ct),
            async () => (await ProviderBindingAsync()).GetProperty("phoneNoB").GetString() == newDriver);

        await WaitUntilAsync(
            async () => (await fixture.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("driverPhone").GetString() == Mask(newDriver),
            "our database never recorded the driver the provider already had");
        Assert.Equal(newDriver, (await ProviderBindingAsync()).GetProperty("phoneNoB").GetString());
    }

    [Fact]
    public async Task ARelease_WhoseCallerDisconnects_AfterTheProviderUnbound_IsStillRecorded()
    {
        var url = $"/v1/delivery-orders/{Guid.NewGuid():N}/protection";
        Assert.True((await fixture.Client.PutAsJsonAsync(url, new { customerPhone = TestPhones.Next(), courierPhone = TestPhones.Next() })).IsSuccessStatusCode);

        await DisconnectOnceAppliedAsync(
            "UnbindSubscription",
            ct => fixture.Client.DeleteAsync(url, ct),
            async () => (await fixture.Simulator.BindingsAsync()).Count == 0);

        await WaitUntilAsync(
            async () => (await fixture.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("status").GetString() == "released",
            "our database kept a binding active that the provider had unbound");
        Assert.Empty(await fixture.Simulator.BindingsAsync());
    }

    [Fact]
    public async Task AGroupChange_WhoseCallerDisconnects_AfterTheProviderChangedTheMembers_IsStillRecorded()
    {
        var created = await fixture.Client.PostAsJsonAsync("/v1/groups", new { members = new[] { TestPhones.Next() } });
        var group = await created.Content.ReadFromJsonAsync<JsonElement>();
        var url = $"/v1/groups/{group.GetProperty("groupId").GetString()}";
        var providerGroupId = group.GetProperty("providerGroupId").GetInt64();
        var added = TestPhones.Next();

        await DisconnectOnceAppliedAsync(
            "OperateAxgGroup",
            ct => fixture.Client.PostAsJsonAsync($"{url}/members", new { numbers = new[] { added } }, ct),
            async () => (await ProviderMembersAsync(providerGroupId)).Contains(added));

        await WaitUntilAsync(
            async () => (await fixture.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("members").EnumerateArray().Any(m => m.GetString() == Mask(added)),
            "our database never recorded the member the provider already had");
        var ours = (await fixture.Client.GetFromJsonAsync<JsonElement>(url)).GetProperty("members").EnumerateArray().Select(m => m.GetString()).Order();
        Assert.Equal((await ProviderMembersAsync(providerGroupId)).Select(Mask).Order(), ours);
    }

    /// <summary>
    /// Sends the request with the provider answering <paramref name="action"/> only after <see cref="AnswerDelayMs"/>,
    /// waits until the provider has applied it, then disconnects the client (cancels the request).
    /// </summary>
    private async Task DisconnectOnceAppliedAsync(string action, Func<CancellationToken, Task<HttpResponseMessage>> send, Func<Task<bool>> applied)
    {
        (await fixture.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { action }, answerDelayMs = AnswerDelayMs } })).EnsureSuccessStatusCode();
        using var disconnect = new CancellationTokenSource();
        var request = send(disconnect.Token);
        await WaitUntilAsync(applied, "the provider never applied the change");
        Assert.False(request.IsCompleted, "the request was answered before the provider's answer: the disconnect came too late to test anything");
        await disconnect.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => request);
        (await fixture.Simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();
    }

    private async Task<JsonElement> ProviderBindingAsync() => Assert.Single(await fixture.Simulator.BindingsAsync());

    private async Task<IReadOnlyList<string>> ProviderMembersAsync(long providerGroupId)
    {
        var groups = await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/groups");
        var group = groups.EnumerateArray().Single(g => g.GetProperty("groupId").GetInt64() == providerGroupId);
        return [.. group.GetProperty("numbers").EnumerateArray().Select(n => n.GetString()!)];
    }

    private static string Mask(string number) => GenericBindingTests.Mask(number);

    /// <summary>Polls a condition the system reaches by itself (a causal wait, not a timing assertion); 20 s covers a loaded CI machine.</summary>
    private static async Task WaitUntilAsync(Func<Task<bool>> condition, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (!await condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited 20 s: {what}.");
            }

            await Task.Delay(50); // pacing: a poll of a condition the system reaches by itself
        }
    }
}
