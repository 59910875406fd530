namespace BindingService.Application.Calls;

/// <summary>The stored call records, read and changed by the call log (Infrastructure/Receipts/CallLogStore.cs).</summary>
public interface ICallLog
{
    /// <summary>Whether the caller has any binding of this business line for the order.</summary>
    Task<bool> OrderExistsAsync(string callerId, string businessLine, string orderId, CancellationToken cancellationToken);

    /// <summary>Whether the caller owns the binding.</summary>
    Task<bool> BindingExistsAsync(string callerId, Guid bindingId, CancellationToken cancellationToken);

    /// <summary>One page of calls, newest first, after <paramref name="after"/> (exclusive).</summary>
    Task<IReadOnlyList<CallRecord>> PageAsync(CallFilter filter, CallCursor? after, int limit, CancellationToken cancellationToken);

    /// <summary>The caller's call, tracked for a change (the cached recording URL or a fetched transcript).</summary>
    Task<CallRecord?> FindAsync(string callerId, string callId, CancellationToken cancellationToken);

    Task SaveAsync(CancellationToken cancellationToken);
}

/// <summary>Which calls a page lists: the caller's, of one order (with its business line) or of one binding.</summary>
public sealed record CallFilter(string CallerId, string? BusinessLine = null, string? OrderId = null, Guid? BindingId = null);

/// <summary>Where a page ends: the last call's time and id (calls are listed newest first).</summary>
public sealed record CallCursor(DateTimeOffset CallTime, string CallId);

/// <summary>The provider's recordings and transcripts (QueryRecordFileDownloadUrl, GetSecretAsrDetail).</summary>
public interface ICallMedia
{
    /// <summary>A download URL for the call's recording and when it expires; a <see cref="Common.Error"/> otherwise.</summary>
    Task<Common.Result<(string Url, DateTimeOffset ExpiresAt)>> RecordingUrlAsync(CallRecord call, CancellationToken cancellationToken);

    /// <summary>The call's transcript, or null when the provider has none.</summary>
    Task<Common.Result<(IReadOnlyList<TranscriptSentence> Sentences, long? DurationMs)?>> TranscriptAsync(CallRecord call, CancellationToken cancellationToken);
}
