using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Integration.Tests;

/// <summary>
/// Kestrel runs request code on the socket threads exactly when the runtime runs socket completions there, and reads
/// without a first empty wait (Infrastructure/SocketScheduling.cs).
/// </summary>
public sealed class SocketSchedulingTests
{
    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task KestrelSchedulesInline_ExactlyAsTheRuntimeSwitchSays(bool inline)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.UseSocketScheduling(inline);
        await using var app = builder.Build();

        var sockets = app.Services.GetRequiredService<IOptions<SocketTransportOptions>>().Value;
        Assert.Equal(inline, sockets.UnsafePreferInlineScheduling);
        Assert.False(sockets.WaitForDataBeforeAllocatingBuffer);
    }
}
