using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.CallRecords;

/// <summary>
/// Recording download URLs shaped like the documents' signed OSS URLs (docs/provider-rules.md R-REC-2):
/// <c>https://{host}/{subsId}_{callId}.mp3?Expires={unix seconds}&amp;OSSAccessKeyId=…&amp;Signature=…</c>, with
/// <c>Expires</c> <c>UrlValidMinutes</c> (2 h) after now. Nothing is served there.
/// </summary>
public static class RecordingUrls
{
    private const string AccessKeyId = "LTAISIMULATOR0000";
    private static readonly byte[] SigningKey = Encoding.UTF8.GetBytes("simulator-recording-url-key");

    /// <summary>The call recording's URL.</summary>
    public static string Call(CallRecord call, CallRecordOptions settings, DateTimeOffset now) => Build(call, string.Empty, settings, now);

    /// <summary>The ring/announcement recording's URL (GetTotalPublicUrl's <c>RingPublicUrl</c>).</summary>
    public static string Ring(CallRecord call, CallRecordOptions settings, DateTimeOffset now) => Build(call, "_ring", settings, now);

    private static string Build(CallRecord call, string suffix, CallRecordOptions settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(settings);
        var expires = (now + TimeSpan.FromMinutes(settings.UrlValidMinutes)).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var file = $"{call.SubsId ?? "0000000000000000"}_{call.CallId}{suffix}.mp3";
        var signature = Convert.ToBase64String(HMACSHA1.HashData(SigningKey, Encoding.UTF8.GetBytes($"GET\n\n\n{expires}\n/{file}")));
        return $"https://{settings.UrlHost}/{file}?Expires={expires}&OSSAccessKeyId={AccessKeyId}&Signature={Uri.EscapeDataString(signature)}";
    }
}
