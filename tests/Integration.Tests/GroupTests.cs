using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>G groups through /v1/groups, held by the provider, stored encrypted (invariant 5), and AXG bindings on them.</summary>
[Collection(ServiceCollection.Name)]
public sealed class GroupTests(ServiceFixture fixture) : IAsyncLifetime
{
    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task AGroup_IsCreatedAndChangedAtTheProvider_AndAnAxgBindingUsesIt_ThenMovesToAnotherGroup()
    {
        string[] initial = [TestPhones.Next(), TestPhones.Next()];
        var created = await fixture.Client.PostAsJsonAsync("/v1/groups", new { name = "couriers", remark = "team A", members = initial });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var group = await created.Content.ReadFromJsonAsync<JsonElement>();
        var groupId = group.GetProperty("groupId").GetString()!;
        var providerGroupId = group.GetProperty("providerGroupId").GetInt64();
        Assert.Equal($"/v1/groups/{Guid.Parse(groupId):N}", created.Headers.Location?.OriginalString);
        Assert.Equal(SimulatorHost.AxgPoolKey, group.GetProperty("poolKey").GetString());
        Assert.Equal(2, group.GetProperty("memberCount").GetInt32());
        Assert.Equal(initial.Select(GenericBindingTests.Mask).Order(), group.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).Order());
        Assert.Equal(initial.Order(), await ProviderMembersAsync(providerGroupId));

        // Add, delete, overwrite: the provider's group follows each step.
        var added = TestPhones.Next();
        var afterAdd = await fixture.Client.PostAsJsonAsync($"/v1/groups/{groupId}/members", new { numbers = new[] { added, initial[0] } });
        Assert.Equal(HttpStatusCode.OK, afterAdd.StatusCode);
        Assert.Equal(3, (await afterAdd.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("memberCount").GetInt32());
        Assert.Equal(new[] { initial[0], initial[1], added }.Order(), await ProviderMembersAsync(providerGroupId));

        var afterDelete = await SendAsync(HttpMethod.Delete, $"/v1/groups/{groupId}/members", new { numbers = new[] { initial[1] } });
        Assert.Equal(HttpStatusCode.OK, afterDelete.StatusCode);
        Assert.Equal(new[] { initial[0], added }.Order(), await ProviderMembersAsync(providerGroupId));

        string[] replaced = [TestPhones.Next(), added];
        var afterPut = await fixture.Client.PutAsJsonAsync($"/v1/groups/{groupId}/members", new { numbers = replaced });
        Assert.Equal(HttpStatusCode.OK, afterPut.StatusCode);
        Assert.Equal(replaced.Order(), await ProviderMembersAsync(providerGroupId));
        var read = await fixture.Client.GetFromJsonAsync<JsonElement>($"/v1/groups/{groupId}");
        Assert.Equal(replaced.Select(GenericBindingTests.Mask).Order(), read.GetProperty("members").EnumerateArray().Select(m => m.GetString()!).Order());

        // An AXG binding on the group: the provider binds with its GroupId; we show ours.
        var orderId = $"axg-{Guid.NewGuid():N}";
        var partyA = TestPhones.Next();
        var binding = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axg", orderId, partyA, groupId });
        Assert.Equal(HttpStatusCode.Created, binding.StatusCode);
        var view = await binding.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("axg", view.GetProperty("product").GetString());
        Assert.Equal(groupId, view.GetProperty("groupId").GetString());
        Assert.Equal(SimulatorHost.AxgPoolKey, view.GetProperty("poolKey").GetString());
        var atProvider = Assert.Single(await fixture.Simulator.BindingsAsync());
        Assert.Equal("AXG", atProvider.GetProperty("product").GetString());
        Assert.Equal(providerGroupId, atProvider.GetProperty("groupId").GetInt64());
        Assert.Equal(partyA, atProvider.GetProperty("phoneNoA").GetString());

        // Moving the binding to another group of the pool: updateAxgGroup and one BindingUpdated (groupId).
        var other = await fixture.Client.PostAsJsonAsync("/v1/groups", new { members = new[] { TestPhones.Next() } });
        var otherGroup = await other.Content.ReadFromJsonAsync<JsonElement>();
        var moved = await fixture.Client.PatchAsJsonAsync($"/v1/bindings/{view.GetProperty("bindingId").GetString()}", new { groupId = otherGroup.GetProperty("groupId").GetString() });
        Assert.Equal(HttpStatusCode.OK, moved.StatusCode);
        Assert.Equal(otherGroup.GetProperty("groupId").GetString(), (await moved.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetString());
        Assert.Equal(otherGroup.GetProperty("providerGroupId").GetInt64(), Assert.Single(await fixture.Simulator.BindingsAsync()).GetProperty("groupId").GetInt64());
        var events = await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2);
        Assert.Equal(["BindingCreated", "BindingUpdated"], events.Select(e => e.MessageType));
        Assert.Equal(["groupId"], GenericBindingTests.Changes(events[1]));
    }

    [Fact]
    public async Task GroupMembers_AreStoredEncryptedWithAKeyedHash_NeverInClear_Invariant5()
    {
        string[] members = [TestPhones.Next(), TestPhones.Next(), TestPhones.Next()];
        var created = await fixture.Client.PostAsJsonAsync("/v1/groups", new { name = "privacy", members });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var groupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetString();
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PostAsJsonAsync($"/v1/groups/{groupId}/members", new { numbers = new[] { TestPhones.Next() } })).StatusCode);

        Assert.Equal(4L, await fixture.ScalarAsync<long>("SELECT count(*) FROM axg_group_members WHERE number_hash IS NOT NULL AND length(number_hash) = 32"));
        Assert.Equal(4L, await fixture.ScalarAsync<long>("SELECT count(DISTINCT number_hash) FROM axg_group_members"));
        var rows = (await fixture.RowsAsTextAsync("axg_groups")).Concat(await fixture.RowsAsTextAsync("axg_group_members")).Concat(await fixture.RowsAsTextAsync("idempotency_keys")).ToList();
        Assert.NotEmpty(rows);
        foreach (var number in TestPhones.All)
        {
            Assert.DoesNotContain(rows, row => row.Contains(number, StringComparison.Ordinal));
        }

        // The body shown is masked too.
        var body = await fixture.Client.GetStringAsync($"/v1/groups/{groupId}");
        Assert.All(members, m => Assert.DoesNotContain(m, body, StringComparison.Ordinal));
    }

    [Fact]
    public async Task AxgBindings_OnAnEmptyOrUnknownGroup_AreRefusedBeforeTheProvider()
    {
        var empty = await fixture.Client.PostAsJsonAsync("/v1/groups", new { name = "empty" });
        Assert.Equal(HttpStatusCode.Created, empty.StatusCode);
        var emptyId = (await empty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetString();

        var onEmpty = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axg", orderId = $"axg-{Guid.NewGuid():N}", partyA = TestPhones.Next(), groupId = emptyId });
        var onUnknown = await fixture.Client.PostAsJsonAsync("/v1/bindings", new { product = "axg", orderId = $"axg-{Guid.NewGuid():N}", partyA = TestPhones.Next(), groupId = Guid.NewGuid() });

        Assert.Equal(HttpStatusCode.UnprocessableEntity, onEmpty.StatusCode);
        Assert.Equal("group.empty", (await onEmpty.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, onUnknown.StatusCode);
        Assert.Equal("group.not_found", (await onUnknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Empty(await fixture.Simulator.BindingsAsync());
        Assert.Equal(HttpStatusCode.NotFound, (await fixture.Client.GetAsync($"/v1/groups/{Guid.NewGuid()}")).StatusCode);
    }

    [Fact]
    public async Task AGroup_HoldsAtMost200Members()
    {
        var full = Enumerable.Range(0, 200).Select(_ => TestPhones.Next()).ToArray();
        var tooMany = full.Append(TestPhones.Next()).ToArray();

        var refused = await fixture.Client.PostAsJsonAsync("/v1/groups", new { members = tooMany });
        var created = await fixture.Client.PostAsJsonAsync("/v1/groups", new { members = full });
        var groupId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("groupId").GetString();
        var oneMore = await fixture.Client.PostAsJsonAsync($"/v1/groups/{groupId}/members", new { numbers = new[] { TestPhones.Next() } });

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.Equal(HttpStatusCode.UnprocessableEntity, oneMore.StatusCode);
        Assert.Equal("group.too_many_members", (await oneMore.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        var atProvider = Assert.Single(await ProviderGroupsAsync());
        Assert.Equal(200, atProvider.GetProperty("numbers").GetArrayLength());
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url, object body)
    {
        using var request = new HttpRequestMessage(method, url) { Content = JsonContent.Create(body) };
        return await fixture.Client.SendAsync(request);
    }

    private async Task<IReadOnlyList<JsonElement>> ProviderGroupsAsync() =>
        [.. (await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/groups")).EnumerateArray()];

    private async Task<IEnumerable<string>> ProviderMembersAsync(long providerGroupId)
    {
        var group = (await ProviderGroupsAsync()).Single(g => g.GetProperty("groupId").GetInt64() == providerGroupId);
        return group.GetProperty("numbers").EnumerateArray().Select(n => n.GetString()!).Order().ToList();
    }
}
