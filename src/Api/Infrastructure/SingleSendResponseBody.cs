using System.IO.Pipelines;
using Microsoft.AspNetCore.Http.Features;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// A response body leaves in one send: the serializer's flush after a JSON body (minimal APIs write the body and flush
/// it before the response ends) is held, so the body goes out with the end of the response — headers, body and the
/// chunked terminator in one write to the socket instead of two (docs/performance.md, change 34). Held only while the
/// body written but not yet sent is under <see cref="HoldLimit"/>; past it every flush goes through, so a large or
/// streamed body is sent (and back-pressured) as before. Nothing else changes: a held flush still starts the response
/// (as the flush did: headers fixed, <c>HasStarted</c> true, so a failure after it cannot turn the response into
/// another one), writes through <c>Response.Body</c> and every other body operation are Kestrel's own, and the end of
/// the response (or <c>CompleteAsync</c>) sends what was held.
/// </summary>
internal sealed class SingleSendResponseBody(IHttpResponseBodyFeature inner) : PipeWriter, IHttpResponseBodyFeature
{
    /// <summary>Bytes written since the last flush that went through, at or above which a flush is not held.</summary>
    public const int HoldLimit = 64 * 1024;

    private readonly PipeWriter _writer = inner.Writer;
    private long _held;

    /// <summary>Middleware: the request's response body is this one's.</summary>
    public static Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        if (context.Features.Get<IHttpResponseBodyFeature>() is { } body)
        {
            context.Features.Set<IHttpResponseBodyFeature>(new SingleSendResponseBody(body));
        }

        return next(context);
    }

    // IHttpResponseBodyFeature: Kestrel's, but for the writer.
    public Stream Stream => inner.Stream;

    public PipeWriter Writer => this;

    public void DisableBuffering() => inner.DisableBuffering();

    public Task StartAsync(CancellationToken cancellationToken = default) => inner.StartAsync(cancellationToken);

    public Task SendFileAsync(string path, long offset, long? count, CancellationToken cancellationToken = default) =>
        inner.SendFileAsync(path, offset, count, cancellationToken);

    public Task CompleteAsync() => inner.CompleteAsync();

    // PipeWriter: Kestrel's writer, with flushes held while the unsent body is small.
    public override void Advance(int bytes)
    {
        _held += bytes;
        _writer.Advance(bytes);
    }

    public override Memory<byte> GetMemory(int sizeHint = 0) => _writer.GetMemory(sizeHint);

    public override Span<byte> GetSpan(int sizeHint = 0) => _writer.GetSpan(sizeHint);

    public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_held >= HoldLimit || cancellationToken.IsCancellationRequested)
        {
            _held = 0;
            return _writer.FlushAsync(cancellationToken);
        }

        // Held: the response starts here all the same (its headers fixed, OnStarting run, HasStarted true — what a
        // flush does first), so what follows sees the response as it would have; only the bytes wait in Kestrel's buffer.
        var start = inner.StartAsync(cancellationToken);
        return start.IsCompletedSuccessfully ? ValueTask.FromResult(Held) : StartedAsync(start);
    }

    private static readonly FlushResult Held = new(isCanceled: false, isCompleted: false);

    private static async ValueTask<FlushResult> StartedAsync(Task start)
    {
        await start;
        return Held;
    }

    public override void CancelPendingFlush() => _writer.CancelPendingFlush();

    public override void Complete(Exception? exception = null) => _writer.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => _writer.CompleteAsync(exception);

    public override bool CanGetUnflushedBytes => _writer.CanGetUnflushedBytes;

    public override long UnflushedBytes => _writer.UnflushedBytes;
}
