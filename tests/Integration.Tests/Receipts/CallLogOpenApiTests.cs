using System.Net.Http.Json;
using System.Text.Json;

namespace BindingService.Integration.Tests.Receipts;

/// <summary>The call log and the receiver are described in the OpenAPI document: summary, description, an example per response.</summary>
[Collection(ReceiptsCollection.Name)]
public sealed class CallLogOpenApiTests(ReceiptsFixture fixture)
{
    [Fact]
    public async Task OpenApi_DescribesTheCallLogAndTheReceiver_WithExamples()
    {
        var document = await fixture.Client.GetFromJsonAsync<JsonElement>("/openapi/v1.json");
        var operations = document.GetProperty("paths").EnumerateObject()
            .SelectMany(p => p.Value.EnumerateObject().Select(o => o.Value))
            .Where(o => o.TryGetProperty("operationId", out _))
            .ToDictionary(o => o.GetProperty("operationId").GetString()!);

        string[] ids = ["ListRideOrderCalls", "ListDeliveryOrderCalls", "ListBindingCalls", "GetCallRecording", "GetCallTranscript", "ReceiveProviderReceipts"];
        foreach (var id in ids)
        {
            Assert.True(operations.TryGetValue(id, out var operation), id);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("summary").GetString()), id);
            Assert.False(string.IsNullOrWhiteSpace(operation.GetProperty("description").GetString()), id);
            foreach (var response in operation.GetProperty("responses").EnumerateObject())
            {
                Assert.True(response.Value.GetProperty("content").EnumerateObject().First().Value.TryGetProperty("example", out _), $"{id} {response.Name}");
            }
        }
    }
}
