using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Where Kestrel runs a request's code: on the socket's own I/O thread when the runtime's inline socket completions are
/// on (<c>DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1</c>: the image's default and the chart's
/// <c>runtime.inlineSocketCompletions</c>), otherwise queued to the thread pool as by default. The runtime switch already
/// runs the continuations of PostgreSQL's, the provider's and RabbitMQ's reads on those threads (docs/performance.md,
/// change 16); this does the same for the incoming request, which saves a thread-pool hop per request
/// (docs/performance.md, change 25). Nothing on the request path blocks a thread (round 4), which is what both rely on.
/// A connection also reads into its buffer at once instead of first waiting, buffer-less, for data to arrive: one
/// receive per request instead of two, for 4 KB held by each open connection while it is idle (docs/operations.md,
/// "Connections").
/// </summary>
public static class SocketScheduling
{
    public const string InlineCompletionsVariable = "DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS";

    /// <summary>Whether the runtime runs socket completions inline (the variable is "1").</summary>
    public static bool InlineCompletions => Environment.GetEnvironmentVariable(InlineCompletionsVariable) == "1";

    public static WebApplicationBuilder UseSocketScheduling(this WebApplicationBuilder builder, bool inline)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = inline;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
        return builder;
    }
}
