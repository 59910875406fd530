using System.Globalization;
using System.Net.Sockets;

namespace BindingService.Deployment.Tests.Support;

/// <summary>One running process, read from /proc.</summary>
internal sealed record ProcessInfo(int Pid, int Parent, int ProcessGroup, string Command)
{
    public override string ToString() => $"{Pid} (parent {Parent}, group {ProcessGroup}): {Command}";
}

/// <summary>The processes of this Linux machine, from /proc.</summary>
internal static class ProcessTable
{
    /// <summary>
    /// Every live process (zombies excluded) whose environment holds NAME=VALUE, and their
    /// descendants. A variable set only for a started script is inherited by everything it starts
    /// (new sessions, runuser and daemons included), so this finds them all without knowing their
    /// names; descendants count too because some programs overwrite their environment block with
    /// their process title (PostgreSQL's backends do).
    /// </summary>
    public static IReadOnlyList<ProcessInfo> WithEnvironment(string name, string value)
    {
        var wanted = $"{name}={value}";
        var all = All();
        var found = new Dictionary<int, ProcessInfo>();
        foreach (var process in all)
        {
            try
            {
                var environment = File.ReadAllText($"/proc/{process.Pid}/environ");
                if (environment.Split('\0').Contains(wanted, StringComparer.Ordinal))
                {
                    found[process.Pid] = process;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked, or is not ours to read.
            }
        }

        for (var added = true; added;)
        {
            added = false;
            foreach (var process in all.Where(p => !found.ContainsKey(p.Pid) && found.ContainsKey(p.Parent)))
            {
                found[process.Pid] = process;
                added = true;
            }
        }

        return found.Values.OrderBy(p => p.Pid).ToList();
    }

    /// <summary>Every live process.</summary>
    public static IReadOnlyList<ProcessInfo> All() =>
        Directory.EnumerateDirectories("/proc")
            .Select(directory => int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? Read(pid) : null)
            .OfType<ProcessInfo>()
            .ToList();

    /// <summary>The process, or null when it is gone or a zombie.</summary>
    public static ProcessInfo? Read(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "pid (comm) state ppid pgrp …": comm may hold spaces and parentheses; it ends at the last ')'.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            if (fields[0] == "Z" || fields[0] == "X")
            {
                return null;
            }

            var command = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ').Trim();
            return new ProcessInfo(
                pid,
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                command.Length > 0 ? command : stat);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Live processes of a process group.</summary>
    public static IReadOnlyList<ProcessInfo> InGroup(int processGroup) => All().Where(p => p.ProcessGroup == processGroup).ToList();

    /// <summary>Whether something accepts TCP connections on 127.0.0.1:port.</summary>
    public static bool PortOpen(int port)
    {
        using var client = new TcpClient();
        try
        {
            return client.ConnectAsync("127.0.0.1", port).Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            return false;
        }
    }

    /// <summary>
    /// Distinct loopback ports that are free now, below Linux's ephemeral range (32768 and up by
    /// default), so that no outgoing connection takes one before the server that is to listen on it.
    /// </summary>
    public static int[] FreePorts(int count)
    {
        var ports = new List<int>();
        while (ports.Count < count)
        {
            var port = Random.Shared.Next(20000, 32000);
            if (ports.Contains(port) || PortOpen(port))
            {
                continue;
            }

            var listener = new TcpListener(System.Net.IPAddress.Loopback, port);
            try
            {
                listener.Start();
                ports.Add(port);
            }
            catch (SocketException)
            {
                // taken: try another
            }
            finally
            {
                listener.Stop();
            }
        }

        return ports.ToArray();
    }
}
