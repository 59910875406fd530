using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using BindingService.Integration.Tests.Support;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests.Faults;

/// <summary>
/// Issue 5, fault test 4: the service is killed with SIGKILL in the middle of a load of protects (requests in flight,
/// transactions open, bindings Pending, provider calls under way) and a new process is started on the same database.
/// Once clients have retried and the reconciler has run, the Active bindings in the database are exactly the provider's
/// bindings in effect (invariant 3: nothing lives at the provider without a row, nothing is Active without the
/// provider), no binding is left Pending, and every Active binding has its BindingCreated event, under one MessageId.
/// </summary>
public sealed class ServiceKillTests(ServiceProcessEnvironment environment, ITestOutputHelper output) : IClassFixture<ServiceProcessEnvironment>
{
    private const int Requests = 600;
    private const int Concurrency = 16;
    private const int KillAfterAnswered = Requests / 3;
    private const int RetryAttempts = 10;
    private static readonly TimeSpan ConvergenceTimeout = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task SigkillMidLoad_RestartAndClientRetries_LeaveDatabaseActiveBindingsEqualToTheProviders_WithOneCreatedEventEach()
    {
        var started = Stopwatch.StartNew();
        var settings = environment.Settings(new Dictionary<string, string?>
        {
            ["Jobs:Reconciler:Enabled"] = "true",
            ["Jobs:Reconciler:Interval"] = "00:00:01",
            ["Jobs:Reconciler:PendingAfter"] = "00:00:02",
            ["Jobs:Reconciler:OrphanAfter"] = "00:00:02",
            ["Jobs:Reconciler:OrphanScanInterval"] = "00:00:05",
        });
        var prefix = $"kill-{Guid.NewGuid():N}"[..17];
        var orders = Enumerable.Range(0, Requests)
            .Select(i => new Order($"{prefix}-{i:D4}", TestPhones.Next(), TestPhones.Next()))
            .ToArray();

        // Phase 1: the load, and SIGKILL once a third of it has been answered (16 requests are in flight then).
        await using var first = await ServiceProcess.StartAsync("kill-first", settings);
        var status = new int?[Requests];
        var sent = new bool[Requests];
        var next = -1;
        var answered = 0;
        var finished = 0;
        var stop = 0;
        var inFlightAtKill = 0;
        Task? killed = null;
        var third = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        // The provider takes 50-250 ms per BindAxb, so most requests in flight at the kill are inside the provider
        // call: bindings the provider creates while the process that asked for them is already dead.
        await SetBindLatencyAsync(latencyMs: 50, jitterMs: 200);
        using (var client = TestTokens.Authorize(new HttpClient { BaseAddress = first.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }))
        {
            var workers = Enumerable.Range(0, Concurrency).Select(_ => Task.Run(async () =>
            {
                while (Volatile.Read(ref stop) == 0)
                {
                    var i = Interlocked.Increment(ref next);
                    if (i >= Requests)
                    {
                        return;
                    }

                    sent[i] = true;
                    try
                    {
                        using var response = await ProtectAsync(client, orders[i]);
                        status[i] = (int)response.StatusCode;
                        if (Interlocked.Increment(ref answered) == KillAfterAnswered)
                        {
                            // Kill right here (Process.Kill runs before KillAsync's first await), so the requests in
                            // flight now are the ones that die, not answered while a continuation gets scheduled.
                            Volatile.Write(ref stop, 1);
                            inFlightAtKill = Volatile.Read(ref next) + 1 - Volatile.Read(ref finished) - 1;
                            try
                            {
                                killed = first.KillAsync();
                            }
                            finally
                            {
                                third.TrySetResult();
                            }
                        }
                    }
                    catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                    {
                        // The process died under this request: the client sees a reset or a refused connection.
                    }
                    finally
                    {
                        Interlocked.Increment(ref finished);
                    }
                }
            })).ToList();

            var all = Task.WhenAll(workers);
            // Not "WhenAny(...) == third.Task": third's continuations run asynchronously, so the workers (which stop right
            // after the kill) can complete WhenAny first although the kill has happened.
            await Task.WhenAny(third.Task, all, Task.Delay(TimeSpan.FromMinutes(3))); // a timeout on the wait, not a pause
            if (!third.Task.IsCompleted)
            {
                throw new TimeoutException(
                    $"The load never reached {KillAfterAnswered} answers before the kill (answered {answered}, workers {(all.IsFaulted ? "failed: " + all.Exception : all.Status.ToString())}). " +
                    $"Output tail:\n{await first.OutputTailAsync()}");
            }

            await killed!;
            await all;
            output.WriteLine($"killed pid {first.Id} with {inFlightAtKill} requests in flight after {answered} answers");
        }

        var answeredBeforeKill = answered;
        var notSent = sent.Count(s => !s);
        var failed = Enumerable.Range(0, Requests).Count(i => sent[i] && status[i] is not (200 or 201));
        var toRetry = Enumerable.Range(0, Requests).Where(i => status[i] is not (200 or 201)).ToList();

        await SetBindLatencyAsync(latencyMs: 0, jitterMs: 0);

        // Phase 2: a new process on the same database; clients retry what failed or was never sent, as they would.
        await using var second = await ServiceProcess.StartAsync("kill-second", settings);
        var finalStatus = new int?[Requests];
        using (var client = TestTokens.Authorize(new HttpClient { BaseAddress = second.BaseAddress, Timeout = TimeSpan.FromSeconds(30) }))
        {
            await Parallel.ForEachAsync(toRetry, new ParallelOptions { MaxDegreeOfParallelism = Concurrency }, async (i, _) =>
                finalStatus[i] = await ProtectWithRetriesAsync(client, orders[i]));
        }

        var retriedOk = toRetry.Count(i => finalStatus[i] is 200 or 201);

        // Convergence: the reconciler settles what the killed process left Pending and unbinds what nobody owns.
        var (db, provider, pending) = await SnapshotAsync();
        var deadline = DateTime.UtcNow + ConvergenceTimeout;
        while (!(db.SetEquals(provider) && pending == 0) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(500); // pacing: polls for convergence
            (db, provider, pending) = await SnapshotAsync();
        }

        // Events: every Active binding's BindingCreated reaches a consumer (published by either process).
        var activeIds = (await environment.RowsAsync("SELECT id::text FROM bindings WHERE status = 'Active'")).Select(r => r[0]!).ToHashSet();
        var ordersActive = await environment.ScalarAsync<long>($"SELECT count(DISTINCT order_id) FROM bindings WHERE status = 'Active' AND order_id LIKE '{prefix}-%'");
        try
        {
            await environment.Events.WaitForAsync(e => e.MessageType == "BindingCreated" && activeIds.Contains(e.Get("bindingId") ?? string.Empty), activeIds.Count, TimeSpan.FromSeconds(30));
        }
        catch (TimeoutException)
        {
            // Reported through the counts and asserted below.
        }

        // Then until the outbox is drained and the listener has everything either process published: a BindingCreated
        // published twice under two MessageIds would be here.
        await environment.Events.WaitForQuietAsync(TimeSpan.FromSeconds(60));
        var created = environment.Events.Events
            .Where(e => e.MessageType == "BindingCreated" && activeIds.Contains(e.Get("bindingId") ?? string.Empty))
            .GroupBy(e => e.Get("bindingId")!)
            .ToDictionary(g => g.Key, g => g.Select(e => e.MessageId).ToList());
        var events = created.Values.Sum(ids => ids.Count);
        var redelivered = events - created.Values.Sum(ids => ids.Distinct().Count());
        var leaked = await first.CountPhoneNumbersInLogsAsync() + await second.CountPhoneNumbersInLogsAsync();

        output.WriteLine($"[fault-4] requests={Requests} answered_before_kill={answeredBeforeKill} in_flight_at_kill={inFlightAtKill} failed={failed} not_sent={notSent} retried={toRetry.Count} " +
            $"retried_ok={retriedOk} db_active={db.Count} provider_active={provider.Count} pending_left={pending} orders_active={ordersActive} " +
            $"events={events} bindings_with_event={created.Count} redelivered={redelivered} phone_numbers_in_logs={leaked} seconds={started.Elapsed.TotalSeconds:F0}");

        var onlyInDb = db.Except(provider).Count();
        var onlyAtProvider = provider.Except(db).Count();
        Assert.True(onlyInDb == 0 && onlyAtProvider == 0, $"database Active vs provider in effect differ: {onlyInDb} only in the database, {onlyAtProvider} only at the provider (of {db.Count} / {provider.Count})");
        Assert.Equal(0L, pending);
        Assert.True(answeredBeforeKill >= KillAfterAnswered && answeredBeforeKill < Requests, $"the kill must come in the middle of the load (answered {answeredBeforeKill})");
        Assert.True(failed > 0, $"the kill must hit requests in flight (in flight at the kill: {inFlightAtKill})");
        Assert.Equal(toRetry.Count, retriedOk); // every client that retried got its binding
        Assert.Equal(Requests, ordersActive);
        Assert.Equal(Requests, db.Count);
        Assert.All(activeIds, id => Assert.True(
            created.TryGetValue(id, out var ids) && ids.Distinct().Count() == 1,
            $"Active binding {id} must have received BindingCreated under exactly one MessageId, got {(created.TryGetValue(id, out var got) ? got.Distinct().Count() : 0)}"));
        Assert.Equal(0, leaked);
    }

    private async Task SetBindLatencyAsync(int latencyMs, int jitterMs)
    {
        using var response = latencyMs == 0
            ? await environment.Simulator.Control.DeleteAsync("_sim/faults")
            : await environment.Simulator.Control.PutAsJsonAsync("_sim/faults", new { faults = new { actions = new[] { "BindAxb" }, latencyMs, latencyJitterMs = jitterMs } });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<(IReadOnlySet<string> Db, IReadOnlySet<string> Provider, long Pending)> SnapshotAsync()
    {
        var parity = await ProviderParity.MeasureAsync(environment.ConnectionString, environment.Simulator, SimulatorHost.PoolKey);
        return (parity.Database, parity.Provider, parity.PendingLeft);
    }

    /// <summary>A client that retries: on a failure or a 5xx, again after Retry-After (or 1 s); returns the final status (null: no answer).</summary>
    private static async Task<int?> ProtectWithRetriesAsync(HttpClient client, Order order)
    {
        int? last = null;
        for (var attempt = 1; attempt <= RetryAttempts; attempt++)
        {
            var wait = TimeSpan.FromSeconds(1);
            try
            {
                using var response = await ProtectAsync(client, order);
                last = (int)response.StatusCode;
                if (last is < 500)
                {
                    return last;
                }

                wait = response.Headers.RetryAfter?.Delta ?? wait;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                last = null;
            }

            await Task.Delay(wait); // pacing: the client's retry interval (Retry-After, else 1 s)
        }

        return last;
    }

    private static Task<HttpResponseMessage> ProtectAsync(HttpClient client, Order order) =>
        client.PutAsJsonAsync($"/v1/ride-orders/{order.OrderId}/protection", new { passengerPhone = order.Passenger, driverPhone = order.Driver });

    private sealed record Order(string OrderId, string Passenger, string Driver);
}
