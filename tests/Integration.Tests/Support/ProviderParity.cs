using System.Net.Http.Json;
using System.Text.Json;
using Npgsql;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Invariant 3, measured: the Active bindings in our database and the bindings in effect at the provider (the
/// simulator's own view), as sets of (SubsId, X). Used after reconciliation: the two must be equal.
/// </summary>
public sealed record ProviderParity(IReadOnlySet<string> Database, IReadOnlySet<string> Provider, long PendingLeft)
{
    public IReadOnlyList<string> OnlyInDatabase => [.. Database.Except(Provider)];

    public IReadOnlyList<string> OnlyAtProvider => [.. Provider.Except(Database)];

    public bool Equal => PendingLeft == 0 && Database.SetEquals(Provider);

    public override string ToString() =>
        $"db_active={Database.Count} provider_active={Provider.Count} only_in_db={OnlyInDatabase.Count} only_at_provider={OnlyAtProvider.Count} pending_left={PendingLeft}";

    public static async Task<ProviderParity> MeasureAsync(string connectionString, SimulatorHost simulator, string poolKey)
    {
        var database = new HashSet<string>(StringComparer.Ordinal);
        long pending;
        await using (var connection = new NpgsqlConnection(connectionString))
        {
            await connection.OpenAsync();
            await using (var command = new NpgsqlCommand("SELECT subs_id, secret_no FROM bindings WHERE status = 'Active' AND pool_key = $1", connection))
            {
                command.Parameters.AddWithValue(poolKey);
                await using var reader = await command.ExecuteReaderAsync();
                while (await reader.ReadAsync())
                {
                    database.Add($"{reader.GetString(0)}@{reader.GetString(1)}");
                }
            }

            await using var count = new NpgsqlCommand("SELECT count(*) FROM bindings WHERE status = 'Pending' AND pool_key = $1", connection);
            count.Parameters.AddWithValue(poolKey);
            pending = (long)(await count.ExecuteScalarAsync())!;
        }

        var provider = (await simulator.BindingsAsync())
            .Where(b => b.GetProperty("poolKey").GetString() == poolKey && b.GetProperty("status").GetInt32() == 1)
            .Select(b => $"{b.GetProperty("subsId").GetString()}@{b.GetProperty("secretNo").GetString()}")
            .ToHashSet(StringComparer.Ordinal);
        return new ProviderParity(database, provider, pending);
    }

    /// <summary>Runs <paramref name="reconcile"/> until the sets are equal (or the attempts run out) and returns the last measure.</summary>
    public static async Task<ProviderParity> ReconcileUntilEqualAsync(
        Func<Task> reconcile, string connectionString, SimulatorHost simulator, string poolKey, int attempts = 5)
    {
        var parity = await MeasureAsync(connectionString, simulator, poolKey);
        for (var i = 0; i < attempts && !parity.Equal; i++)
        {
            await reconcile();
            parity = await MeasureAsync(connectionString, simulator, poolKey);
        }

        return parity;
    }
}

/// <summary>Sets and clears the simulator's fault injection (docs/simulator.md, "Faults").</summary>
public static class SimulatorFaults
{
    public static async Task SetAsync(SimulatorHost simulator, object faults)
    {
        using var response = await simulator.Control.PutAsync("_sim/faults", JsonContent(new { faults }));
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task ClearAsync(SimulatorHost simulator) =>
        (await simulator.Control.DeleteAsync("_sim/faults")).EnsureSuccessStatusCode();

    /// <summary>Injected faults per kind for <paramref name="action"/>, e.g. <c>timeout:after</c> → 37.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> CountersAsync(SimulatorHost simulator, string action)
    {
        var status = await simulator.Control.GetFromJsonAsync<JsonElement>("_sim/faults");
        var counters = status.GetProperty("counters");
        return counters.ValueKind == JsonValueKind.Object && counters.TryGetProperty(action, out var perKind)
            ? perKind.EnumerateObject().ToDictionary(k => k.Name, k => k.Value.GetInt64())
            : new Dictionary<string, long>();
    }

    private static JsonContent JsonContent(object value) => System.Net.Http.Json.JsonContent.Create(value);
}
