using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.Contracts;
using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Messaging;
using BindingService.Infrastructure.Persistence;
using BindingService.Integration.Tests.Support;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace BindingService.Integration.Tests;

/// <summary>
/// Issue 17, one trace from the request to the consumer: an outbox row keeps the W3C trace context it was written in,
/// the dispatcher publishes it in a producer span parented by that context, and the message carries the
/// <c>traceparent</c> header a plain RabbitMQ.Client consumer reads (and MassTransit's <c>MT-Activity-Id</c>) in the
/// writer's trace. Spans come from the service's own tracer provider through an OpenTelemetry in-memory exporter.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class TraceTests(ServiceFixture fixture) : IAsyncLifetime
{
    private static readonly TimeSpan MinTtlAndMargin = TimeSpan.FromMinutes(2) + TimeSpan.FromSeconds(15);
    private readonly SpanCollector _spans = new();

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ProtectRequest_ItsTraceId_IsOnThePublishSpan_AndInTheTraceparentHeaderARawConsumerReceives()
    {
        await using var instance = fixture.Factory.TracedInstance(_spans);
        using var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";

        // A MassTransit consumer of BindingCreated (its own bus, its own queue): the trace its handler runs in.
        var consumedIn = new TaskCompletionSource<ActivityTraceId>(TaskCreationOptions.RunContinuationsAsynchronously);
        var consumer = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(fixture.Servers.RabbitMqUri);
            rabbit.ReceiveEndpoint("bindingservice-trace-tests", endpoint =>
            {
                endpoint.Durable = false;
                endpoint.AutoDelete = true;
                endpoint.Handler<BindingCreated>(context =>
                {
                    if (context.Message.OrderId == orderId)
                    {
                        consumedIn.TrySetResult(Activity.Current?.TraceId ?? default);
                    }

                    return Task.CompletedTask;
                });
            });
        });
        using var startTimeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await consumer.StartAsync(startTimeout.Token);
        try
        {
            await ProtectAndFollowTheTraceAsync(client, orderId, consumedIn.Task);
        }
        finally
        {
            await consumer.StopAsync();
        }
    }

    private async Task ProtectAndFollowTheTraceAsync(HttpClient client, string orderId, Task<ActivityTraceId> massTransitConsumer)
    {
        var traceId = ActivityTraceId.CreateRandom();
        var callerSpanId = ActivitySpanId.CreateRandom();

        // The caller (say, the ride service) sends its own trace context; the service's request span continues it.
        using var request = new HttpRequestMessage(HttpMethod.Put, $"/v1/ride-orders/{orderId}/protection")
        {
            Content = JsonContent.Create(new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() }),
        };
        request.Headers.Add("traceparent", $"00-{traceId}-{callerSpanId}-01");
        request.Headers.Add("tracestate", "ridesvc=issue17");
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);

        // The outbox row stored the request's context.
        var stored = await fixture.ScalarAsync<string>($"SELECT trace_parent FROM outbox_messages WHERE message_type = 'BindingCreated' AND payload->>'orderId' = '{orderId}'");
        Assert.Equal(traceId, ParseTraceParent(stored).TraceId);
        Assert.Equal("ridesvc=issue17", await fixture.ScalarAsync<string>($"SELECT trace_state FROM outbox_messages WHERE message_type = 'BindingCreated' AND payload->>'orderId' = '{orderId}'"));

        // What a plain AMQP consumer receives: traceparent in the request's trace, and the caller's tracestate.
        var received = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId && e.MessageType == "BindingCreated"));
        var header = ParseTraceParent(received.Header(OutboxTracing.TraceParentHeader));
        Assert.Equal(traceId, header.TraceId);
        Assert.Equal("ridesvc=issue17", received.Header(OutboxTracing.TraceStateHeader));

        // The publish span: in the request's trace, child of the span the row was written in (the server span of
        // the PUT, itself the caller's child), and the span the header names as the consumer's parent.
        var publish = await _spans.WaitForAsync(IsPublishOf(received.MessageId), $"the publish of {received.MessageId}");
        Assert.Equal(ActivityKind.Producer, publish.Kind);
        Assert.Equal(traceId, publish.TraceId);
        Assert.Equal(header.SpanId, publish.SpanId);
        var server = await _spans.WaitForAsync(s => s.TraceId == traceId && s.Kind == ActivityKind.Server && s.ParentSpanId == callerSpanId, "the PUT's server span");
        Assert.Equal(server.SpanId, publish.ParentSpanId);
        Assert.Equal("rabbitmq", publish.GetTagItem("messaging.system"));
        Assert.Equal("BindingService.Contracts:BindingCreated", publish.GetTagItem("messaging.destination.name"));

        // MassTransit consumers continue MT-Activity-Id: MassTransit's own send span, a child of the publish span.
        var mtHeader = ParseTraceParent(received.Header("MT-Activity-Id"));
        Assert.Equal(traceId, mtHeader.TraceId);
        var mtSend = await _spans.WaitForAsync(s => s.Source.Name == "MassTransit" && s.SpanId == mtHeader.SpanId, "MassTransit's send span");
        Assert.Equal(publish.SpanId, mtSend.ParentSpanId);
        Assert.Equal(traceId, await massTransitConsumer.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task ExpiryEvent_CarriesTheTraceOfTheSweeperRunThatExpiredTheBinding()
    {
        var clock = new OffsetTimeProvider();
        await using var sweeping = new BindingServiceFactory(fixture, new Dictionary<string, string?>
        {
            ["Jobs:ExpirySweeper:Enabled"] = "true",
            ["Jobs:ExpirySweeper:Interval"] = "00:00:00.200",
        });
        await using var instance = sweeping.TracedInstance(_spans, services => services.AddSingleton<TimeProvider>(clock));
        using var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var created = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new
        {
            passengerPhone = TestPhones.Next(),
            driverPhone = TestPhones.Next(),
            expiresAt = clock.GetUtcNow() + MinTtlAndMargin,
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var bindingId = (await created.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("bindingId").GetString()!;
        var createdEvent = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("bindingId") == bindingId && e.MessageType == "BindingCreated"));
        var requestTrace = ParseTraceParent(createdEvent.Header(OutboxTracing.TraceParentHeader)).TraceId;

        // Only this instance's clock passes the expiry: its sweeper expires the binding (nobody reads it meanwhile).
        clock.Advance(TimeSpan.FromMinutes(3));
        var expired = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("bindingId") == bindingId && e.MessageType == "BindingExpired"));

        var header = ParseTraceParent(expired.Header(OutboxTracing.TraceParentHeader));
        Assert.NotEqual(requestTrace, header.TraceId);
        var run = await _spans.WaitForAsync(
            s => s.Source.Name == PeriodicJob.ActivitySourceName && s.TraceId == header.TraceId,
            "the sweeper run in the event's trace");
        Assert.Equal("Expiry sweeper run", run.DisplayName);
        Assert.Equal(default, run.ParentSpanId); // each run is the root of its own trace
        var publish = await _spans.WaitForAsync(IsPublishOf(expired.MessageId), $"the publish of {expired.MessageId}");
        Assert.Equal(header.TraceId, publish.TraceId);
        Assert.Equal(header.SpanId, publish.SpanId);
        Assert.Equal(header.TraceId, ParseTraceParent(await fixture.ScalarAsync<string>($"SELECT trace_parent FROM outbox_messages WHERE id = '{expired.MessageId}'")).TraceId);
    }

    [Fact]
    public async Task ARowWithoutTraceContext_WrittenBeforeTheColumnsExisted_IsStillPublished_InATraceOfItsOwn()
    {
        await using var instance = fixture.Factory.TracedInstance(_spans);
        using var client = instance.CreateClient();
        var orderId = $"ride-{Guid.NewGuid():N}";
        var created = await client.PutAsJsonAsync($"/v1/ride-orders/{orderId}/protection", new { passengerPhone = TestPhones.Next(), driverPhone = TestPhones.Next() });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var original = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.Get("orderId") == orderId));
        var requestTrace = ParseTraceParent(original.Header(OutboxTracing.TraceParentHeader)).TraceId;

        // An old row: the columns of issue 17 left out, so NULL (as for rows written before the migration).
        var id = Guid.NewGuid();
        Assert.Equal(1, await ExecuteAsync($$"""
            INSERT INTO outbox_messages (id, aggregate_id, message_type, payload, occurred_at, attempts)
            SELECT '{{id}}', aggregate_id, message_type, jsonb_set(payload, '{eventId}', to_jsonb('{{id}}'::text)), now(), 0
            FROM outbox_messages WHERE id = '{{original.MessageId}}'
            """));
        Assert.Equal(1L, await fixture.ScalarAsync<long>($"SELECT count(*) FROM outbox_messages WHERE id = '{id}' AND trace_parent IS NULL AND trace_state IS NULL"));

        var received = Assert.Single(await fixture.Events.AllOnceQuietAsync(e => e.MessageId == id.ToString()));
        var header = ParseTraceParent(received.Header(OutboxTracing.TraceParentHeader));
        Assert.NotEqual(requestTrace, header.TraceId);
        var publish = await _spans.WaitForAsync(IsPublishOf(received.MessageId), $"the publish of {id}");
        Assert.Equal(default, publish.ParentSpanId); // a root: not the dispatcher loop's nor anybody else's trace
        Assert.Equal(header.TraceId, publish.TraceId);
        Assert.Equal(header.SpanId, publish.SpanId);
        Assert.Null(received.Header(OutboxTracing.TraceStateHeader));

        // Reading the row back gives its stored (absent) context, not the reader's: EF Core sets every mapped property
        // after OutboxMessage's constructor captured the current activity.
        using var reader = new Activity("read-back").SetIdFormat(ActivityIdFormat.W3C).Start();
        await using var scope = fixture.Factory.Services.CreateAsyncScope();
        var row = await scope.ServiceProvider.GetRequiredService<BindingDbContext>().OutboxMessages.AsNoTracking().SingleAsync(m => m.Id == id);
        Assert.Null(row.TraceParent);
        Assert.Null(row.TraceState);
        Assert.NotNull(new OutboxMessage { MessageType = "Test", Payload = "{}" }.TraceParent); // a new row does capture it
    }

    private static Func<Activity, bool> IsPublishOf(string messageId) => span =>
        span.Source.Name == OutboxTracing.SourceName && Equals(span.GetTagItem("messaging.message.id"), messageId);

    /// <summary>A version-00 traceparent's trace and span ids; fails the test when the value is not one.</summary>
    private static (ActivityTraceId TraceId, ActivitySpanId SpanId) ParseTraceParent(string? value)
    {
        Assert.NotNull(value);
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[01]$", value);
        Assert.True(ActivityContext.TryParse(value, null, out var context), $"not a traceparent: {value}");
        return (context.TraceId, context.SpanId);
    }

    private async Task<int> ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(fixture.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return await command.ExecuteNonQueryAsync();
    }
}
