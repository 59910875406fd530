using System.Diagnostics;
using System.Runtime.InteropServices;
using BindingService.Api.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace BindingService.Integration.Tests;

/// <summary>
/// The C heap's free pages go back to the system (<see cref="NativeHeapTrim"/>, docs/operations.md "Memory"): glibc keeps
/// the pages of blocks freed between live ones resident until a trim, and the service trims on its interval.
/// </summary>
public sealed class NativeHeapTrimTests(ITestOutputHelper output)
{
    private const int Block = 64 * 1024; // below glibc's mmap threshold: taken from the heap, as the runtime's small blocks are
    private const int Blocks = 512;      // 32 MB

    [Fact]
    public void FreedBlocksBetweenLiveOnes_StayResident_UntilATrimHandsThemBack()
    {
        Assert.True(NativeHeapTrim.IsSupported, "this machine's C library is glibc");

        // Every 16th block stays allocated, so the freed ones sit between live blocks where glibc does not return them.
        var blocks = new nint[Blocks];
        var fill = new byte[Block];
        Array.Fill(fill, (byte)0x5a);
        for (var i = 0; i < Blocks; i++)
        {
            blocks[i] = Marshal.AllocHGlobal(Block); // malloc
            Marshal.Copy(fill, 0, blocks[i], Block); // resident
        }

        try
        {
            for (var i = 0; i < Blocks; i++)
            {
                if (i % 16 != 15)
                {
                    Marshal.FreeHGlobal(blocks[i]);
                    blocks[i] = 0;
                }
            }

            var freedMb = Blocks / 16 * 15 * Block / (1024.0 * 1024);
            var before = NativeHeapTrim.ResidentAnonymousKib()!.Value;
            var elapsed = Stopwatch.StartNew();
            Assert.True(NativeHeapTrim.TrimOnce());
            elapsed.Stop();
            var after = NativeHeapTrim.ResidentAnonymousKib()!.Value;
            output.WriteLine($"trim: {elapsed.Elapsed.TotalMilliseconds:F2} ms; resident anonymous {before / 1024} → {after / 1024} MB; {freedMb:F0} MB freed");

            // Other tests run meanwhile and may grow the process a little; half of what was freed is a clear signal.
            Assert.True((before - after) / 1024.0 >= freedMb / 2, $"resident anonymous memory {before / 1024} MB before the trim, {after / 1024} MB after; {freedMb:F0} MB were freed");
            Assert.True(elapsed.Elapsed < TimeSpan.FromSeconds(1), $"a trim took {elapsed.Elapsed.TotalMilliseconds:F1} ms");
        }
        finally
        {
            foreach (var block in blocks)
            {
                Marshal.FreeHGlobal(block); // free(NULL) for the freed ones: a no-op
            }
        }
    }

    [Fact]
    public async Task TheService_TrimsOnItsInterval()
    {
        var trim = new NativeHeapTrim(Options.Create(new HostingOptions { NativeHeapTrimInterval = TimeSpan.FromMilliseconds(50) }), TimeProvider.System, NullLogger<NativeHeapTrim>.Instance);
        await trim.StartAsync(CancellationToken.None);
        try
        {
            var waited = Stopwatch.StartNew();
            while (trim.Trims < 3 && waited.Elapsed < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(20);
            }

            Assert.True(trim.Trims >= 3, $"{trim.Trims} trims in {waited.Elapsed.TotalSeconds:F1} s at a 50 ms interval");
        }
        finally
        {
            await trim.StopAsync(CancellationToken.None);
        }

        Assert.True(trim.ExecuteTask!.IsCompletedSuccessfully, "the service stops without an error");
    }

    [Fact]
    public async Task AZeroInterval_TurnsItOff()
    {
        var trim = new NativeHeapTrim(Options.Create(new HostingOptions { NativeHeapTrimInterval = TimeSpan.Zero }), TimeProvider.System, NullLogger<NativeHeapTrim>.Instance);
        await trim.StartAsync(CancellationToken.None);
        await trim.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10));
        await trim.StopAsync(CancellationToken.None);

        Assert.Equal(0, trim.Trims);
    }
}
