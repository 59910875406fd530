using BindingService.Application.Bindings;
using BindingService.Application.Calls;
using BindingService.Application.Common;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Receipts;

/// <summary>
/// Recordings and transcripts from the provider: QueryRecordFileDownloadUrl (a URL valid for 2 hours) and
/// GetSecretAsrDetail, through the typed, signed and resilient client. Provider failures become our errors.
/// </summary>
internal sealed class AliyunCallMedia(IDyplsapiClient client, IOptions<AliyunOptions> aliyun, TimeProvider clock) : ICallMedia
{
    /// <summary>How long the provider's download URL is valid.</summary>
    public static readonly TimeSpan UrlValidity = TimeSpan.FromHours(2);

    public async Task<Result<(string Url, DateTimeOffset ExpiresAt)>> RecordingUrlAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var asked = clock.GetUtcNow();
        var result = await client.QueryRecordFileDownloadUrlAsync(
            new QueryRecordFileDownloadUrlRequest { PoolKey = PoolOf(call), CallId = call.CallId, CallTime = call.CallTime ?? asked },
            cancellationToken);
        if (result.Error is { } error)
        {
            return error.Kind == Application.Abstractions.ProviderErrorKind.SubscriptionNotFound ? CallErrors.RecordingExpired : ProviderErrors.ToError(error, PoolOf(call), null);
        }

        return (result.Value!.DownloadUrl!, asked + UrlValidity);
    }

    public async Task<Result<(IReadOnlyList<TranscriptSentence> Sentences, long? DurationMs)?>> TranscriptAsync(CallRecord call, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(call);
        var result = await client.GetSecretAsrDetailAsync(
            new GetSecretAsrDetailRequest { PoolKey = PoolOf(call), CallId = call.CallId, CallTime = call.CallTime ?? clock.GetUtcNow() },
            cancellationToken);
        if (result.Error is { } error)
        {
            return error.Kind == Application.Abstractions.ProviderErrorKind.SubscriptionNotFound
                ? ((IReadOnlyList<TranscriptSentence>, long?)?)null
                : ProviderErrors.ToError(error, PoolOf(call), null);
        }

        var data = result.Value!.Data!;
        if (data.Code is { } code && code != CallRecord.AsrOk)
        {
            return ((IReadOnlyList<TranscriptSentence>, long?)?)null;
        }

        var sentences = (data.Sentences ?? []).Select(s => new TranscriptSentence(s.BeginTime ?? 0, s.EndTime ?? 0, (int)(s.ChannelId ?? 0), s.Text ?? string.Empty)).ToList();
        return ((IReadOnlyList<TranscriptSentence>, long?)?)(sentences, data.BizDuration);
    }

    private string PoolOf(CallRecord call) => string.IsNullOrEmpty(call.PoolKey) ? aliyun.Value.PoolKey : call.PoolKey;
}
