using System.Text;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using Serilog.Events;
using Serilog.Formatting.Compact;
using Serilog.Parsing;

namespace BindingService.Integration.Tests;

/// <summary>
/// The stdout sink (Api/Infrastructure/StdoutJsonSink.cs): its events are buffered until the log buffer's writer
/// flushes a batch, then written as one block of JSON lines, UTF-8 without a byte-order mark.
/// </summary>
public sealed class StdoutJsonSinkTests
{
    [Fact]
    public void Events_AreHeldUntilFlush_ThenWrittenInOneWrite_AsJsonLines()
    {
        var output = new CountingStream();
        using var sink = new StdoutJsonSink(new RenderedCompactJsonFormatter(), output);
        sink.Emit(Event("北京 {N}", 1));
        sink.Emit(Event("second {N}", 2));
        Assert.Equal(0, output.Writes);

        sink.Flush();

        Assert.Equal(1, output.Writes);
        var bytes = output.ToArray();
        Assert.False(bytes.AsSpan().StartsWith(Encoding.UTF8.Preamble), "no byte-order mark");
        var lines = Encoding.UTF8.GetString(bytes).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(2, lines.Length);
        Assert.Equal("北京 1", JsonDocument.Parse(lines[0]).RootElement.GetProperty("@m").GetString());
        Assert.Equal("second 2", JsonDocument.Parse(lines[1]).RootElement.GetProperty("@m").GetString());
    }

    [Fact]
    public void Dispose_WritesWhatIsBuffered()
    {
        var output = new CountingStream();
        var sink = new StdoutJsonSink(new RenderedCompactJsonFormatter(), output);
        sink.Emit(Event("last {N}", 3));
        sink.Dispose();

        Assert.Contains("\"@m\":\"last 3\"", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    private static LogEvent Event(string template, int n) => new(
        DateTimeOffset.UtcNow, LogEventLevel.Information, exception: null, new MessageTemplateParser().Parse(template),
        [new LogEventProperty("N", new ScalarValue(n))]);

    /// <summary>A memory stream that counts the writes it receives (each would be one write() on stdout).</summary>
    private sealed class CountingStream : MemoryStream
    {
        private readonly List<byte> _written = [];

        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            Writes++;
            _written.AddRange(buffer);
        }

        public override byte[] ToArray() => [.. _written];

        protected override void Dispose(bool disposing)
        {
            // Keep the bytes readable after the sink disposed its writer (and with it this stream).
        }
    }
}
