using System.IO.Pipelines;
using System.Net;
using System.Net.Http.Json;
using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Integration.Tests;

/// <summary>
/// A small response leaves in one send (<see cref="SingleSendResponseBody"/>, docs/performance.md change 34), counted
/// where Kestrel hands bytes to the socket: its flushes of the connection's output. A real Kestrel on loopback, the
/// service's middleware in front of minimal-API endpoints.
/// </summary>
public sealed class SingleSendResponsesTests
{
    [Theory]
    [InlineData(true, 1)]
    [InlineData(false, 2)] // Kestrel without it: the serializer's flush, then the end of the response
    public async Task AJsonResponse_LeavesInOneSend(bool singleSend, int sends)
    {
        await using var server = await Server.StartAsync(singleSend);

        for (var i = 0; i < 3; i++)
        {
            var before = server.Flushes;
            using var response = await server.Client.GetAsync("/json");
            Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
            Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<Reply>())!.Status);
            Assert.Equal(sends, server.Flushes - before);
        }
    }

    [Fact]
    public async Task TheResponseStarts_AtItsFirstWrite_AsWithout()
    {
        await using var server = await Server.StartAsync(singleSend: true);

        // The endpoint throws (a 500) when the response has not started once its body is written.
        using var response = await server.Client.GetAsync("/started");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ok", (await response.Content.ReadFromJsonAsync<Reply>())!.Status);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task AFailureAfterTheBodyWasWritten_BreaksTheResponse_AsWithout(bool singleSend)
    {
        // The response has started, so the exception handler cannot make it another one (a 500 carrying the body
        // written so far and its own): the connection is cut and the client sees a broken response, with or without.
        await using var server = await Server.StartAsync(singleSend);

        await Assert.ThrowsAsync<HttpRequestException>(() => server.Client.GetStringAsync("/throws-after-write"));
    }

    [Fact]
    public async Task ALargeBody_IsSentAsItIsWritten_AndArrivesWhole()
    {
        await using var server = await Server.StartAsync(singleSend: true);

        var before = server.Flushes;
        var body = await server.Client.GetByteArrayAsync("/large");

        Assert.Equal(Server.LargeBody, body.Length);
        Assert.All(body, b => Assert.Equal((byte)'x', b));
        Assert.True(server.Flushes - before >= Server.LargeBody / SingleSendResponseBody.HoldLimit, $"{server.Flushes - before} sends");
    }

    public sealed record Reply(string Status, string Padding);

    private sealed class Server : IAsyncDisposable
    {
        public const int LargeBody = 512 * 1024;

        private readonly WebApplication _app;
        private int _flushes;

        private Server(bool singleSend)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen => listen.Use(next => connection =>
            {
                connection.Transport = new CountingPipe(connection.Transport, this);
                return next(connection);
            })));
            _app = builder.Build();
            _app.UseExceptionHandler(error => error.Run(context => context.Response.WriteAsync("problem")));
            if (singleSend)
            {
                _app.Use(SingleSendResponseBody.InvokeAsync);
            }

            _app.MapGet("/json", () => TypedResults.Ok(new Reply("ok", new string('p', 300))));
            _app.MapGet("/started", async context =>
            {
                await context.Response.WriteAsJsonAsync(new Reply("ok", string.Empty));
                if (!context.Response.HasStarted)
                {
                    throw new InvalidOperationException("The response had not started after its body was written.");
                }
            });
            _app.MapGet("/throws-after-write", async context =>
            {
                await context.Response.WriteAsJsonAsync(new Reply("ok", string.Empty));
                throw new InvalidOperationException("after the body");
            });
            _app.MapGet("/large", async context =>
            {
                var chunk = new byte[16 * 1024];
                Array.Fill(chunk, (byte)'x');
                for (var written = 0; written < LargeBody; written += chunk.Length)
                {
                    await context.Response.BodyWriter.WriteAsync(chunk);
                }
            });
        }

        public int Flushes => Volatile.Read(ref _flushes);

        public HttpClient Client { get; private set; } = null!;

        public static async Task<Server> StartAsync(bool singleSend)
        {
            var server = new Server(singleSend);
            await server._app.StartAsync();
            var address = server._app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            server.Client = new HttpClient { BaseAddress = new Uri(address) };
            return server;
        }

        public async ValueTask DisposeAsync()
        {
            Client.Dispose();
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        /// <summary>The connection's pipes, counting the flushes of its output (each one a send to the socket).</summary>
        private sealed class CountingPipe(IDuplexPipe inner, Server server) : IDuplexPipe
        {
            public PipeReader Input => inner.Input;

            public PipeWriter Output { get; } = new CountingWriter(inner.Output, server);
        }

        private sealed class CountingWriter(PipeWriter inner, Server server) : PipeWriter
        {
            public override void Advance(int bytes) => inner.Advance(bytes);

            public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

            public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

            public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
            {
                Interlocked.Increment(ref server._flushes);
                return inner.FlushAsync(cancellationToken);
            }

            public override void CancelPendingFlush() => inner.CancelPendingFlush();

            public override void Complete(Exception? exception = null) => inner.Complete(exception);

            public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

            public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

            public override long UnflushedBytes => inner.UnflushedBytes;
        }
    }
}
