using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using BindingService.Application.Calls;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Receipts;
using BindingService.Infrastructure.Security;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Receipts;

/// <summary>
/// The receipt parser (docs/receipts.md, 'Reading a receipt'): what the receiver keys a message by
/// (<see cref="ReceiptParser.Identify"/>) refuses exactly what the full read refuses, and an intercepted SMS is read
/// without its text.
/// </summary>
public sealed class ReceiptParserTests
{
    private readonly ReceiptParser _parser = new(ChinaTime.Standard);

    [Theory]
    [InlineData(ReceiptKind.Report, """{"call_id":"c1","id":"m1","phone_no":"13800000001"}""", "c1", "m1", null)]
    [InlineData(ReceiptKind.Report, """{"callId":12345,"phone_no":"13800000001"}""", "12345", null, null)]
    [InlineData(ReceiptKind.Report, """{"id":"m1","phone_no":"13800000001"}""", null, "m1", "call_id missing")]
    [InlineData(ReceiptKind.Report, """["not","an","object"]""", null, null, "not a JSON object")]
    [InlineData(ReceiptKind.SmsIntercept, """{"id":"m9","send_no":"13800000001"}""", "m9", "m9", null)]
    [InlineData(ReceiptKind.NumberHealth, """{"secretNo":"17000000001","noStatus":"0"}""", null, null, null)]
    [InlineData(ReceiptKind.NumberHealth, """{"secretNo":"17000000001","noStatus":7}""", null, null, "secretNo or noStatus missing")]
    public void Identify_AgreesWithTheFullRead(ReceiptKind kind, string json, string? callId, string? messageId, string? problem)
    {
        using var document = JsonDocument.Parse(json);

        var identified = ReceiptParser.Identify(kind, document.RootElement, out var foundCall, out var foundMessage);
        var read = _parser.Read(kind, json, out var readProblem);

        Assert.Equal(problem, identified);
        Assert.Equal(problem, readProblem);
        Assert.Equal(problem is null, read is not null);
        Assert.Equal(callId, foundCall);
        Assert.Equal(messageId, foundMessage);
        Assert.Equal(callId, read?.CallId);
    }

    [Fact]
    public void SmsIntercept_IsReadWithoutItsText()
    {
        const string json = """
            {"id":"m1","call_id":"sms-1","pool_key":"FC1","sub_id":"100","out_id":"o1","sms_type":"3","send_no":"13800000001","secret_no":"17000000001",
             "receive_no":"13900000002","sms_content":"please call 13700000003","sms_intercept_type":"CONTROL_DISABLE","code":"REJECTD","start_time":"2026-11-23 10:00:00"}
            """;

        var sms = _parser.Read(ReceiptKind.SmsIntercept, json, out var problem);

        Assert.Null(problem);
        Assert.NotNull(sms);
        Assert.Equal(("sms-1", "13800000001", "13900000002", "17000000001"), (sms.CallId, sms.PhoneNo, sms.PeerNo, sms.SecretNo));
        Assert.Equal(("CONTROL_DISABLE", 3, "REJECTD"), (sms.SmsInterceptType, sms.SmsType, sms.DeliveryCode));
        Assert.Equal(new DateTimeOffset(2026, 11, 23, 2, 0, 0, TimeSpan.Zero), sms.CallTime);
        Assert.DoesNotContain("13700000003", JsonSerializer.Serialize(sms), StringComparison.Ordinal);
    }

    [Fact]
    public void ProtectedPayload_RoundTrips_FromTheRawBytes()
    {
        var keys = new PhoneNumberProtector(Options.Create(new SecurityOptions
        {
            PhoneEncryptionKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            PhoneHashKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }));
        var protector = new ReceiptPayloadProtector(keys);
        var raw = Encoding.UTF8.GetBytes("""{"call_id":"c1","phone_no":"13800000001","msg":"接收"}""");

        using var encryptor = protector.CreateEncryptor();
        var first = encryptor.Protect(raw);
        var second = encryptor.Protect(raw);

        Assert.NotEqual(first, second); // a fresh nonce each time
        Assert.Equal(Encoding.UTF8.GetString(raw), protector.Unprotect(first));
        Assert.Equal(Encoding.UTF8.GetString(raw), protector.Unprotect(second));
        Assert.DoesNotContain("13800000001", Encoding.Latin1.GetString(first), StringComparison.Ordinal);
    }
}
