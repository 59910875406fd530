using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Where the real PostgreSQL and RabbitMQ come from: the servers scripts/test.sh started (passed in
/// BINDINGSERVICE_TEST_POSTGRES / BINDINGSERVICE_TEST_RABBITMQ), or Testcontainers where a Docker
/// engine exists. Never an in-memory substitute.
/// </summary>
public sealed class TestServers : IAsyncDisposable
{
    public const string PostgresVariable = "BINDINGSERVICE_TEST_POSTGRES";
    public const string RabbitMqVariable = "BINDINGSERVICE_TEST_RABBITMQ";

    private PostgreSqlContainer? _postgres;
    private RabbitMqContainer? _rabbit;

    private TestServers(string postgresAdmin, Uri rabbitMq)
    {
        PostgresAdminConnectionString = postgresAdmin;
        RabbitMqUri = rabbitMq;
    }

    /// <summary>A superuser connection string to the server (no database chosen).</summary>
    public string PostgresAdminConnectionString { get; }

    /// <summary>amqp://user:password@host:port/vhost</summary>
    public Uri RabbitMqUri { get; }

    public static async Task<TestServers> StartAsync()
    {
        var postgres = Environment.GetEnvironmentVariable(PostgresVariable);
        var rabbit = Environment.GetEnvironmentVariable(RabbitMqVariable);
        if (!string.IsNullOrWhiteSpace(postgres) && !string.IsNullOrWhiteSpace(rabbit))
        {
            return new TestServers(postgres, new Uri(rabbit));
        }

        try
        {
            var pg = new PostgreSqlBuilder("postgres:15").Build();
            var mq = new RabbitMqBuilder("rabbitmq:3.10-management").Build();
            await Task.WhenAll(pg.StartAsync(), mq.StartAsync());
            return new TestServers(pg.GetConnectionString(), new Uri(mq.GetConnectionString()))
            {
                _postgres = pg,
                _rabbit = mq,
            };
        }
        catch (Exception ex)
        {
            throw new InvalidOperationException(
                $"No PostgreSQL/RabbitMQ for the integration tests: set {PostgresVariable} and {RabbitMqVariable} " +
                "(scripts/test.sh does this after starting local servers) or provide a Docker engine for Testcontainers.", ex);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }

        if (_rabbit is not null)
        {
            await _rabbit.DisposeAsync();
        }
    }
}
