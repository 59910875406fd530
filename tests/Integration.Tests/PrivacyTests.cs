using System.Net;
using System.Net.Http.Json;
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

        var numbers = TestPhones.All;
        Assert.Contains(passenger, numbers);
        Assert.True(numbers.Count > 25, $"the scan needs the numbers of the whole run (run the whole suite), got {numbers.Count}");

        // The database: every column of every row, as text.
        var rows = (await fixture.RowsAsTextAsync("bindings")).Concat(await fixture.RowsAsTextAsync("outbox_messages")).ToList();
        Assert.NotEmpty(rows);
        var inRows = DigitWindows(string.Join('\n', rows));
        Assert.Contains(inRows, w => w.StartsWith("170000000", StringComparison.Ordinal)); // X is stored: the scan sees 11-digit runs
        Assert.Equal(0, numbers.Count(inRows.Contains)); // counts only: a leaked number is not printed again

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
        var inLog = DigitWindows(log);
        Assert.Contains(inLog, w => w.StartsWith("170000000", StringComparison.Ordinal)); // X is logged: the scan sees 11-digit runs
        Assert.Equal(0, numbers.Count(inLog.Contains)); // counts only: a leaked number is not printed again
    }

    /// <summary>
    /// Every 11-digit window of every run of digits in <paramref name="text"/>: a number (11 digits) occurs in the text
    /// exactly when it is one of these. One pass over the text, instead of one per number.
    /// </summary>
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

    private Task<HttpResponseMessage> PutRawAsync(string url, string json) =>
        fixture.Client.PutAsync(url, new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

    private static HashSet<string> DigitWindows(string text)
    {
        const int length = 11;
        var windows = new HashSet<string>(StringComparer.Ordinal);
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var digit = i < text.Length && char.IsAsciiDigit(text[i]);
            if (digit && start < 0)
            {
                start = i;
            }
            else if (!digit && start >= 0)
            {
                for (var j = start; j + length <= i; j++)
                {
                    windows.Add(text.Substring(j, length));
                }

                start = -1;
            }
        }

        return windows;
    }

    private static async Task<string> ReadSharedAsync(string path)
    {
        await using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var reader = new StreamReader(stream);
        return await reader.ReadToEndAsync();
    }
}
