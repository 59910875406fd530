using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Integration.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BindingService.Integration.Tests;

/// <summary>
/// Invariant 5: no passenger or driver number in clear in the service's logs or its database.
/// Runs last (<see cref="PrivacyScanLastOrderer"/>): the log scanned is the whole run's, and the numbers
/// looked for are every number any test used.
/// </summary>
[Collection(PrivacyScanCollection.Name)]
public sealed class PrivacyTests(ServiceFixture fixture)
{
    [Fact]
    public async Task PhoneNumbers_AppearNeitherInTheLogsNorInTheDatabase()
    {
        // Exercise every path that handles numbers: create, repeat, conflict, refusal, release.
        var passenger = TestPhones.Next();
        var driver = TestPhones.Next();
        var orderId = $"privacy-{Guid.NewGuid():N}";
        Assert.Equal(HttpStatusCode.Created, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = TestPhones.Next() })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}-2/protection", new { passengerPhone = passenger, driverPhone = passenger })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await fixture.Client.DeleteAsync($"/v1/ride-orders/{orderId}/protection")).StatusCode);
        await RefusedRequestsAsync();
        await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId, atLeast: 2);
        await CallAndSmsReceiptsAsync();

        var numbers = TestPhones.All;
        Assert.Contains(passenger, numbers);
        Assert.True(numbers.Count > 25, $"the scan needs the numbers of the whole run (run the whole suite), got {numbers.Count}");

        // The database: every column of every row of every table (those of the call receipts included, and any table
        // added later), as text.
        var database = await PrivacyScan.DatabaseAsTextAsync(fixture.ConnectionString);
        Assert.Contains("bindings", database.Keys);
        Assert.Contains("outbox_messages", database.Keys);
        Assert.Contains("receipt_inbox", database.Keys);
        Assert.Contains("call_records", database.Keys);
        Assert.All(new[] { "bindings", "outbox_messages", "receipt_inbox", "call_records" }, t => Assert.False(string.IsNullOrWhiteSpace(database[t]), $"{t} is empty: the scan would prove nothing there"));
        var inRows = PrivacyScan.DigitWindows(string.Join('\n', database.Values));
        Assert.Contains(inRows, w => w.StartsWith("170000000", StringComparison.Ordinal)); // X is stored: the scan sees 11-digit runs
        var leakingTables = database.Where(t => PrivacyScan.CountLeaked(t.Value, numbers) > 0).Select(t => t.Key).ToList();
        Assert.True(leakingTables.Count == 0, $"numbers in clear in: {string.Join(", ", leakingTables)}"); // table names only: a leaked number is not printed again

        // The service's log output for the whole test run, read once it holds a marker the service's own logger wrote
        // after everything above: the file sink writes events in the order they are logged.
        var marker = $"privacy-scan-marker-{Guid.NewGuid():N}";
        fixture.Factory.Services.GetRequiredService<ILoggerFactory>().CreateLogger<PrivacyTests>().LogInformation("Log scan marker {Marker}", marker);
        var log = await ReadSharedAsync(fixture.LogFilePath);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!log.Contains(marker, StringComparison.Ordinal))
        {
            Assert.True(DateTime.UtcNow < deadline, "the marker never reached the log file");
            await Task.Delay(50); // pacing: polls the log file for the marker
            log = await ReadSharedAsync(fixture.LogFilePath);
        }

        Assert.Contains(orderId, log); // the log is really being written
        var inLog = PrivacyScan.DigitWindows(log);
        Assert.Contains(inLog, w => w.StartsWith("170000000", StringComparison.Ordinal)); // X is logged: the scan sees 11-digit runs
        Assert.Equal(0, numbers.Count(inLog.Contains)); // counts only: a leaked number is not printed again
    }

    /// <summary>
    /// The refusal paths, with numbers from the generator the scan searches for: 400 (an invalid field, an unknown member
    /// carrying a number, a member named by a number, a body cut short after a number), 409 (covered above) and 422 (the
    /// provider refuses the number).
    /// </summary>
    private async Task RefusedRequestsAsync()
    {
        var url = $"/v1/ride-orders/privacy-refused-{Guid.NewGuid():N}/protection";
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = a, driverPhone = b, expiresAt = DateTimeOffset.UtcNow.AddYears(-1) })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRawAsync(url, $$"""{"passengerPhone":"{{a}}","driverPhone":"{{b}}","passengerPhon":"{{TestPhones.Next()}}"}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRawAsync(url, $$"""{"passengerPhone":"{{a}}","driverPhone":"{{b}}","{{TestPhones.Next()}}":1}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await PutRawAsync(url, $$"""{"passengerPhone":"{{a}}","driverPhone":{{b}}""")).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await fixture.Client.PutAsJsonAsync($"/v1/delivery-orders/privacy-{Guid.NewGuid():N}/protection", new { customerPhone = a, courierPhone = a })).StatusCode);

        (await fixture.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { "BindAxb" }, errorRates = new Dictionary<string, double> { ["isv.MOBILE_NUMBER_ILLEGAL"] = 1 } } })).EnsureSuccessStatusCode();
        try
        {
            Assert.Equal(HttpStatusCode.UnprocessableEntity, (await fixture.Client.PutAsJsonAsync(url, new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() })).StatusCode);
        }
        finally
        {
            (await fixture.Simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();
        }
    }

    /// <summary>
    /// The call receipts' paths, with numbers the scan searches for: a recorded call of a protected ride pushed by the
    /// simulator (start, record, recording: inbox, call record, call events), an intercepted SMS whose text holds a
    /// number, and a poison message carrying a number (kept encrypted in the inbox). Waits until all of it is processed
    /// and published.
    /// </summary>
    private async Task CallAndSmsReceiptsAsync()
    {
        var settings = new { url = $"http://service/v1/provider-receipts/{{type}}?token={ServiceFixture.ReceiptSecret}", duplicates = true, reorder = true, retryDelaysMs = new[] { 50, 100, 200 }, timeoutMs = 10_000 };
        (await fixture.Simulator.Control.PutAsJsonAsync("_sim/receipts/settings", settings)).EnsureSuccessStatusCode();
        try
        {
            var (passenger, driver) = (TestPhones.Next(), TestPhones.Next());
            var orderId = $"privacy-calls-{Guid.NewGuid():N}";
            var created = await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = passenger, driverPhone = driver });
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            var x = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("virtualNumber").GetString();
            Assert.Equal(HttpStatusCode.OK, (await fixture.Client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection/recording", new { enabled = true })).StatusCode);

            var call = await fixture.Simulator.Control.PostAsJsonAsync("_sim/calls/simulate", new { caller = driver, calledNo = x, durationSeconds = 20 });
            Assert.Equal(HttpStatusCode.OK, call.StatusCode);
            var sms = await fixture.Simulator.Control.PostAsJsonAsync("_sim/sms/simulate", new { sender = passenger, calledNo = x, content = $"请回电 {TestPhones.Next()}" });
            Assert.Equal(HttpStatusCode.OK, sms.StatusCode);
            var poison = await fixture.Client.PostAsync(
                $"/v1/provider-receipts/SecretReport?token={ServiceFixture.ReceiptSecret}",
                new StringContent($$"""[{"phone_no":"{{TestPhones.Next()}}","peer_no":"{{TestPhones.Next()}}"}]""", System.Text.Encoding.UTF8, "application/json"));
            Assert.Equal(HttpStatusCode.OK, poison.StatusCode);

            // Every push acknowledged, every inbox row processed, then every event published.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
            while ((await fixture.Simulator.Control.GetFromJsonAsync<JsonElement>("_sim/receipts")).GetProperty("pending").GetInt32() > 0
                || await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox WHERE status = 'Pending'") > 0)
            {
                Assert.True(DateTime.UtcNow < deadline, "the receipts were not pushed and processed within 30 s");
                await Task.Delay(50); // pacing: polls the simulator and the inbox until everything is taken
            }

            Assert.Equal(1L, await fixture.ScalarAsync<long>("SELECT count(*) FROM receipt_inbox WHERE status = 'Poison'"));
            Assert.True(await fixture.ScalarAsync<long>("SELECT count(*) FROM call_records") >= 1, "the call has no call record");
            await fixture.Events.WaitForQuietAsync();
        }
        finally
        {
            (await fixture.Simulator.Control.PutAsJsonAsync("_sim/receipts/settings", new { url = string.Empty })).EnsureSuccessStatusCode();
        }
    }

    private Task<HttpResponseMessage> PutRawAsync(string url, string json) =>
        fixture.Client.PutAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
