using System.Text;
using Serilog.Core;
using Serilog.Events;
using Serilog.Formatting;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// The service's JSON lines on stdout, formatted into one 32 KB buffer and written when the log buffer's writer has
/// drained a batch (<see cref="BackgroundLogSink"/> calls <see cref="Flush"/>): one <c>write()</c> for many lines.
/// Serilog's console sink flushed after every event through <c>Console.Out</c>, whose 256-character buffer turned
/// each line of about 700 characters into three <c>write()</c> calls (docs/performance.md, round 8). Only the log
/// buffer's single writer calls <see cref="Emit"/> and <see cref="Flush"/>, so nothing here locks. A line longer than
/// the buffer is written as it fills, like any stream; what other code prints through <c>Console.Out</c> (the
/// OpenTelemetry console exporter, when configured) goes out between two of these writes.
/// </summary>
public sealed class StdoutJsonSink : ILogEventSink, IDisposable
{
    private const int BufferSize = 32 * 1024;

    private readonly ITextFormatter _formatter;
    private readonly StreamWriter _writer;

    public StdoutJsonSink(ITextFormatter formatter, Stream output)
    {
        ArgumentNullException.ThrowIfNull(formatter);
        ArgumentNullException.ThrowIfNull(output);
        _formatter = formatter;
        _writer = new StreamWriter(output, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), BufferSize) { AutoFlush = false };
    }

    public void Emit(LogEvent logEvent) => _formatter.Format(logEvent, _writer);

    /// <summary>Writes what is buffered.</summary>
    public void Flush() => _writer.Flush();

    public void Dispose() => _writer.Dispose(); // flushes first
}
