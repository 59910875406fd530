using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;

namespace BindingService.Integration.Tests;

/// <summary>
/// Issue 13, logging: a request writes one line at Information — Serilog's request line — and that line names the
/// binding the request created or changed. The provider attempt (event 3100) and the lifecycle's own lines are Debug,
/// Polly's per-attempt lines Warning and above only (docs/operations.md, 'Logs'). The service runs as its own process
/// with its shipped appsettings.json, at Information, as in production.
/// </summary>
public sealed class RequestLogTests(ServiceProcessEnvironment environment) : IClassFixture<ServiceProcessEnvironment>
{
    [Fact]
    public async Task AProtectAndItsRelease_WriteOneLineEachAtInformation_WhichNamesTheBinding()
    {
        await using var service = await ServiceProcess.StartAsync("request-log", environment.Settings());
        var order = $"reqlog-{Guid.NewGuid():N}";
        using var created = await service.Client.PutAsJsonAsync($"/v1/ride-orders/{order}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bindingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString();
        using var released = await service.Client.DeleteAsync($"/v1/ride-orders/{order}/protection");
        Assert.Equal(HttpStatusCode.OK, released.StatusCode);

        // The request lines of both requests, once the file sink has written them (it flushes every 200 ms).
        List<JsonElement> lines = [];
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (RequestLines(lines, order).Count < 2)
        {
            Assert.True(DateTime.UtcNow < deadline, "the two request lines never reached the log file");
            await Task.Delay(100); // pacing: polls the log file
            lines = await ReadLinesAsync(service.LogPath);
        }

        foreach (var request in RequestLines(lines, order))
        {
            var traceId = request.GetProperty("@tr").GetString();
            var ofRequest = lines.Where(l => l.TryGetProperty("@tr", out var tr) && tr.GetString() == traceId && AtInformationOrAbove(l)).ToList();
            Assert.True(ofRequest.Count == 1, $"{ofRequest.Count} lines at Information or above for {request.GetProperty("RequestMethod")}: "
                + string.Join(" | ", ofRequest.Select(l => l.GetProperty("@m").GetString())));
            Assert.Equal(bindingId, request.GetProperty("BindingId").GetString());
        }
    }

    private static List<JsonElement> RequestLines(List<JsonElement> lines, string order) =>
        [.. lines.Where(l => l.TryGetProperty("RequestPath", out var path) && path.GetString()!.Contains(order, StringComparison.Ordinal))];

    private static bool AtInformationOrAbove(JsonElement line) =>
        !line.TryGetProperty("@l", out var level) || level.GetString() is not ("Debug" or "Verbose");

    private static async Task<List<JsonElement>> ReadLinesAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        var lines = new List<JsonElement>();
        while (await reader.ReadLineAsync() is { } line)
        {
            try
            {
                using var json = JsonDocument.Parse(line);
                lines.Add(json.RootElement.Clone());
            }
            catch (JsonException)
            {
                // the last line may be half written
            }
        }

        return lines;
    }
}
