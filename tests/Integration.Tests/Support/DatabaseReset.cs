using Npgsql;
using Respawn;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Wipes a test database between tests while the service instance on it keeps running. Its background jobs (outbox,
/// sweeper, receipt processor, key jobs) lock rows as they work, so Respawn's deletes can meet one of them in the other
/// order: PostgreSQL then aborts one side with 40P01 (deadlock). When that side is the reset, nothing was deleted (the
/// reset runs in one transaction) and running it again is correct; the job's side simply retries on its next pass.
/// </summary>
public static class DatabaseReset
{
    private const string DeadlockDetected = "40P01";

    public static async Task ResetAsync(this Respawner respawner, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(respawner);
        for (var attempt = 1; ; attempt++)
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync();
            try
            {
                await respawner.ResetAsync(connection);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == DeadlockDetected && attempt < 5)
            {
                // PostgreSQL chose the reset as the deadlock's victim: its transaction rolled back whole; run it again.
            }
        }
    }
}
