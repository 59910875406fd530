using BindingService.Integration.Tests.Support;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// The privacy scan (<see cref="PrivacyScan"/>) can fail: a number planted in clear in a table it has never heard of,
/// in a text, a jsonb, a bytea or a bigint column, is found there; the same number masked, or encrypted, is not.
/// </summary>
public sealed class PrivacyScanTests : IAsyncLifetime
{
    private TestServers? _servers;
    private TestDatabase? _database;

    public async Task InitializeAsync()
    {
        _servers = await TestServers.StartAsync();
        _database = await TestDatabase.CreateAsync(_servers.PostgresAdminConnectionString, "bs_scan");
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }

        if (_servers is not null)
        {
            await _servers.DisposeAsync();
        }
    }

    [Theory]
    [InlineData("note text", "@number")]
    [InlineData("doc jsonb", "jsonb_build_object('peer_no', @number)")]
    [InlineData("blob bytea", "convert_to('{\"phone_no\":\"' || @number || '\"}', 'UTF8')")]
    [InlineData("n bigint", "@number::bigint")]
    public async Task APlantedNumber_IsFound_InAnyTableAndColumnKind(string column, string value)
    {
        var planted = PlantableNumber();
        var table = $"future_{Guid.NewGuid():N}";
        await ExecuteAsync($"CREATE TABLE {table} (id int, {column})", null);
        await ExecuteAsync($"INSERT INTO {table} VALUES (1, {value})", planted);

        var database = await PrivacyScan.DatabaseAsTextAsync(_database!.ConnectionString);

        Assert.Contains(table, database.Keys);
        Assert.Equal(1, PrivacyScan.CountLeaked(database[table], [planted, PlantableNumber()]));
    }

    [Fact]
    public async Task AMaskedOrEncryptedNumber_IsNotFound()
    {
        var planted = PlantableNumber();
        await ExecuteAsync("CREATE TABLE masked (masked text, hashed bytea)", null);
        await ExecuteAsync("INSERT INTO masked VALUES (left(@number, 3) || '****' || right(@number, 4), sha256(convert_to(@number, 'UTF8')))", planted);

        var database = await PrivacyScan.DatabaseAsTextAsync(_database!.ConnectionString);

        Assert.False(string.IsNullOrWhiteSpace(database["masked"]));
        Assert.Equal(0, PrivacyScan.CountLeaked(database["masked"], [planted]));
    }

    /// <summary>A mobile number of the tests' range that no service ever saw (not from <see cref="TestPhones"/>, whose numbers the run's scan looks for).</summary>
    private static string PlantableNumber() => $"158{Random.Shared.Next(0, 100_000_000):D8}";

    private async Task ExecuteAsync(string sql, string? number)
    {
        await using var connection = new NpgsqlConnection(_database!.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        if (number is not null)
        {
            command.Parameters.AddWithValue("number", number);
        }

        await command.ExecuteNonQueryAsync();
    }
}
