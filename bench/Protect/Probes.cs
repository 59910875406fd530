using System.Diagnostics.Tracing;
using System.Globalization;
using System.Text.Json;
using Microsoft.Diagnostics.NETCore.Client;
using Microsoft.Diagnostics.Tracing;
using Microsoft.Diagnostics.Tracing.Parsers;

namespace BindingService.Bench.Protect;

/// <summary>CPU time of processes from /proc/&lt;pid&gt;/stat (utime + stime, in clock ticks of 10 ms).</summary>
internal static class ProcCpu
{
    private const double MsPerTick = 10.0; // USER_HZ is 100 on Linux

    /// <summary>CPU milliseconds used so far by <paramref name="pid"/> (and, with <paramref name="children"/>, its live child processes).</summary>
    public static double Milliseconds(int? pid, bool children = false)
    {
        if (pid is not { } root)
        {
            return double.NaN;
        }

        var total = Ticks(root);
        if (children)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (int.TryParse(Path.GetFileName(dir), out var child) && child != root && ParentOf(child) == root)
                {
                    total += Ticks(child);
                }
            }
        }

        return total * MsPerTick;
    }

    /// <summary>
    /// The machine's stolen and total CPU ticks so far (<c>/proc/stat</c>): time the hypervisor gave this virtual
    /// machine's CPUs to someone else. A phase with a high steal share ran on a slower machine than its neighbours.
    /// </summary>
    public static (long Steal, long Total) MachineSteal()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var ticks = fields.Skip(1).Take(8).Select(f => long.Parse(f, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return (ticks.Length > 7 ? ticks[7] : 0, ticks.Sum());
    }

    /// <summary>Resident set size in MB (VmRSS).</summary>
    public static double RssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return line is null ? double.NaN : double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }

    /// <summary>
    /// What the resident set is made of (kB from /proc/&lt;pid&gt;/status and smaps_rollup): anonymous memory (GC heap and
    /// native allocations), file-backed (code of the assemblies and libraries), shared memory — which holds the JIT's
    /// code twice under W^X (the "doublemapper" mapping is mapped writable and executable, and VmRSS counts both) —
    /// and PSS, which counts shared pages once.
    /// </summary>
    public static string RssBreakdown(int pid)
    {
        static double Kb(IEnumerable<string> lines, string key) =>
            lines.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal)) is { } line
                ? double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0
                : double.NaN;
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rollup = File.Exists($"/proc/{pid}/smaps_rollup") ? File.ReadAllLines($"/proc/{pid}/smaps_rollup") : [];
        return $"anonymous {Kb(status, "RssAnon:"):F0} MB, file-backed {Kb(status, "RssFile:"):F0} MB, shared (the JIT's code and loader heaps, in a W^X double mapping) {Kb(status, "RssShmem:"):F0} MB; PSS {Kb(rollup, "Pss:"):F0} MB";
    }

    /// <summary>The stat fields of <paramref name="path"/> after the command name, or null when it is gone.</summary>
    internal static string[]? FieldsOf(string path)
    {
        try
        {
            var stat = File.ReadAllText(path);
            // The command name (field 2) is in parentheses and may hold spaces: split after its closing parenthesis.
            return stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null; // the process or thread ended meanwhile
        }
    }

    private static string[]? Fields(int pid) => FieldsOf($"/proc/{pid}/stat");

    private static long Ticks(int pid) => Fields(pid) is { } f ? long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture) : 0;

    private static int ParentOf(int pid) => Fields(pid) is { } f ? int.Parse(f[1], CultureInfo.InvariantCulture) : -1;
}

/// <summary>
/// CPU milliseconds of the threads of a process whose name starts with a prefix, such as the runtime's tier-1 JIT thread
/// (".NET Tiered Compilation", cut to 15 characters by the kernel). That thread ends when it has nothing to compile and
/// a new one starts later, and an ended thread's time leaves /proc with it: so each thread is sampled every 250 ms and
/// its last figure kept.
/// </summary>
internal sealed class ThreadCpuMeter : IDisposable
{
    public const string JitThread = ".NET Tiered Com";

    private readonly int _pid;
    private readonly string _prefix;
    private readonly Dictionary<string, long> _ticks = [];
    private readonly Timer _timer;

    public ThreadCpuMeter(int pid, string prefix)
    {
        (_pid, _prefix) = (pid, prefix);
        _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(250));
    }

    /// <summary>CPU milliseconds of the matching threads so far, ended ones included.</summary>
    public double Milliseconds
    {
        get
        {
            Sample();
            lock (_ticks)
            {
                return _ticks.Values.Sum() * 10.0; // USER_HZ is 100
            }
        }
    }

    public void Dispose() => _timer.Dispose();

    private void Sample()
    {
        lock (_ticks)
        {
            try
            {
                foreach (var task in Directory.EnumerateDirectories($"/proc/{_pid}/task"))
                {
                    try
                    {
                        if (File.ReadAllText(Path.Combine(task, "comm")).StartsWith(_prefix, StringComparison.Ordinal)
                            && ProcCpu.FieldsOf(Path.Combine(task, "stat")) is { } f)
                        {
                            var ticks = long.Parse(f[11], CultureInfo.InvariantCulture) + long.Parse(f[12], CultureInfo.InvariantCulture);
                            _ticks[task] = Math.Max(ticks, _ticks.GetValueOrDefault(task));
                        }
                    }
                    catch (IOException)
                    {
                        // the thread ended meanwhile
                    }
                }
            }
            catch (DirectoryNotFoundException)
            {
                // the process ended
            }
        }
    }
}

/// <summary>Counts the API's garbage collections per generation from its runtime's GC events (EventPipe, no change to the API).</summary>
internal sealed class GcMonitor : IDisposable
{
    private readonly EventPipeSession _session;
    private readonly Task _reader;
    private readonly long[] _counts = new long[3];

    public GcMonitor(int pid)
    {
        var client = new DiagnosticsClient(pid);
        _session = client.StartEventPipeSession(
            [new EventPipeProvider("Microsoft-Windows-DotNETRuntime", EventLevel.Informational, (long)ClrTraceEventParser.Keywords.GC)],
            requestRundown: false);
        _reader = Task.Run(() =>
        {
            try
            {
                using var source = new EventPipeEventSource(_session.EventStream);
                source.Clr.GCStart += e => Interlocked.Increment(ref _counts[Math.Clamp(e.Depth, 0, 2)]);
                source.Process();
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or ObjectDisposedException or FormatException)
            {
                Error = ex.Message; // the counts stop here
            }
        });
    }

    /// <summary>Why reading the events stopped early, if it did.</summary>
    public string? Error { get; private set; }

    /// <summary>Collections so far: gen0, gen1, gen2.</summary>
    public long[] Snapshot() => [.. _counts.Select(c => Interlocked.Read(ref c))];

    public void Dispose()
    {
        try
        {
            _session.Stop();
            _reader.Wait(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is ServerNotAvailableException or AggregateException or TimeoutException or IOException)
        {
            // the API is gone already
        }

        _session.Dispose();
    }
}

/// <summary>
/// The API's console log (compact JSON, one event a line). Counts the lines written since a mark at Information and
/// above, and reads the provider call durations from the Aliyun adapter's own line ("Aliyun {Action} succeeded in
/// {ElapsedMs} ms", event 3100, at Debug: the benchmark turns Debug on for the adapter's category only), so the
/// provider call is measured where the API makes it.
/// </summary>
internal sealed class ApiLog(string path)
{
    public long Mark() => new FileInfo(path).Length;

    public (long Lines, List<double> ProviderMs) Since(long mark, string action)
    {
        long lines = 0;
        var provider = new List<double>();
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        stream.Seek(mark, SeekOrigin.Begin);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (!line.StartsWith('{'))
            {
                lines++;
                continue;
            }

            try
            {
                using var json = JsonDocument.Parse(line);
                var root = json.RootElement;
                if (root.TryGetProperty("EventId", out var id) && id.TryGetProperty("Id", out var n) && n.GetInt32() == 3100
                    && root.TryGetProperty("Action", out var a) && a.GetString() == action && root.TryGetProperty("ElapsedMs", out var ms))
                {
                    provider.Add(ms.ValueKind == JsonValueKind.Number ? ms.GetDouble() : double.Parse(ms.GetString()!, CultureInfo.InvariantCulture));
                }

                var level = root.TryGetProperty("@l", out var l) ? l.GetString() : "Information";
                if (level is not ("Debug" or "Verbose"))
                {
                    lines++;
                }
            }
            catch (JsonException)
            {
                lines++; // a half-written last line
            }
        }

        return (lines, provider);
    }
}
