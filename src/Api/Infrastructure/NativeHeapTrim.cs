using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Options;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Hands the C heap's free pages back to the system every <see cref="HostingOptions.NativeHeapTrimInterval"/> (glibc's
/// <c>malloc_trim(0)</c>). The runtime's native allocations — above all the JIT's working memory while it compiles
/// and recompiles the service's code in its first minutes — leave glibc's heaps with free pages between live
/// blocks, which glibc keeps: 15–19 MB of the API's resident set after a benchmark run was such free memory
/// (docs/performance.md, change 36). A trim takes a millisecond or two and touches no block in use. Where the C
/// library has no <c>malloc_trim</c> (musl, another OS) the service says so once at Debug and does nothing.
/// </summary>
public sealed partial class NativeHeapTrim(IOptions<HostingOptions> options, TimeProvider clock, ILogger<NativeHeapTrim> logger)
    : BackgroundService
{
    private static readonly Lazy<bool> Available = new(Probe);
    private long _trims;

    /// <summary>Trims done by this service so far.</summary>
    internal long Trims => Interlocked.Read(ref _trims);

    /// <summary>Whether this process's C library can trim its heap (glibc on Linux).</summary>
    public static bool IsSupported => Available.Value;

    /// <summary>Trims once; false where <see cref="IsSupported"/> is false.</summary>
    public static bool TrimOnce()
    {
        if (!IsSupported)
        {
            return false;
        }

        MallocTrim(0);
        return true;
    }

    /// <summary>The process's resident anonymous memory in KiB (<c>RssAnon</c> of <c>/proc/self/status</c>), or null off Linux.</summary>
    public static long? ResidentAnonymousKib()
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }

        foreach (var line in File.ReadLines("/proc/self/status"))
        {
            if (line.StartsWith("RssAnon:", StringComparison.Ordinal))
            {
                return long.Parse(line.AsSpan("RssAnon:".Length).Trim().TrimEnd("kB").Trim(), CultureInfo.InvariantCulture);
            }
        }

        return null;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.NativeHeapTrimInterval;
        if (interval == TimeSpan.Zero)
        {
            return;
        }

        if (!IsSupported)
        {
            LogUnsupported(logger);
            return;
        }

        using var timer = new PeriodicTimer(interval, clock);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                var before = ResidentAnonymousKib();
                TrimOnce();
                Interlocked.Increment(ref _trims);
                if (logger.IsEnabled(LogLevel.Debug) && before is { } b && ResidentAnonymousKib() is { } a)
                {
                    LogTrimmed(logger, (b - a) / 1024.0);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping
        }
    }

    private static bool Probe()
    {
        if (!OperatingSystem.IsLinux())
        {
            return false;
        }

        try
        {
            MallocTrim(0);
            return true;
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    // glibc's soname: a musl system has no libc.so.6 and answers DllNotFoundException. Blittable, so no marshalling.
    [DllImport("libc.so.6", EntryPoint = "malloc_trim", ExactSpelling = true)]
    private static extern int MallocTrim(nuint pad);

    [LoggerMessage(EventId = 9400, Level = LogLevel.Debug, Message = "The C library has no malloc_trim: the native heap is not trimmed")]
    private static partial void LogUnsupported(ILogger logger);

    [LoggerMessage(EventId = 9401, Level = LogLevel.Debug, Message = "Native heap trimmed: resident anonymous memory {ReturnedMb:F1} MB lower")]
    private static partial void LogTrimmed(ILogger logger, double returnedMb);
}
