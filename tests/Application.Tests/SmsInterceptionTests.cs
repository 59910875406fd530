using BindingService.Application.Calls;

namespace BindingService.Application.Tests;

/// <summary>An intercepted SMS's event (docs/receipts.md, 'Intercepted SMS'): masked numbers, the binding's order, the provider's reason in our words.</summary>
public sealed class SmsInterceptionTests
{
    private static readonly DateTimeOffset SentAt = new(2026, 11, 23, 2, 0, 0, TimeSpan.Zero);
    private static readonly CallBinding InEffect = new(Guid.NewGuid(), "caller-1", "ride", "ride-1", InEffectAtCallTime: true);
    private static readonly CallBinding Ended = InEffect with { InEffectAtCallTime = false };

    [Fact]
    public void EventFor_MasksBothNumbers_AndNamesTheBindingsOrder()
    {
        var id = Guid.NewGuid();
        var receipt = new CallReceipt(ReceiptKind.SmsIntercept, "sms-1")
        {
            PhoneNo = "13800000001", PeerNo = "13900000002", SecretNo = "17000000001", PoolKey = "FC1", CallTime = SentAt, SmsInterceptType = "NORMAL", SmsType = 3, DeliveryCode = "ACCEPTD",
        };

        var sms = SmsInterception.EventFor(id, receipt, InEffect, SentAt.AddSeconds(5));

        Assert.Equal(id, sms.EventId);
        Assert.Equal("sms-1", sms.CallId);
        Assert.Equal("138****0001", sms.SenderMasked);
        Assert.Equal("139****0002", sms.RecipientMasked);
        Assert.Equal("17000000001", sms.SecretNo);
        Assert.Equal(SentAt, sms.SentAt);
        Assert.Equal("normal", sms.InterceptType);
        Assert.True(sms.Smart);
        Assert.Equal("ACCEPTD", sms.DeliveryCode);
        Assert.Equal(("caller-1", "ride", "ride-1", InEffect.BindingId), (sms.CallerId, sms.BusinessLine, sms.OrderId, sms.BindingId!.Value));
    }

    [Fact]
    public void EventFor_WithoutRecipientOrBinding_HasNeither()
    {
        var receipt = new CallReceipt(ReceiptKind.SmsIntercept, "sms-2") { PhoneNo = "13800000001", SecretNo = "17000000001", SmsInterceptType = "SUBS_NOT_EXISTS" };

        var sms = SmsInterception.EventFor(Guid.NewGuid(), receipt, null, SentAt);

        Assert.Null(sms.RecipientMasked);
        Assert.Null(sms.BindingId);
        Assert.Null(sms.OrderId);
        Assert.Equal("noBinding", sms.InterceptType);
        Assert.Equal(SentAt, sms.SentAt);
    }

    [Theory]
    [InlineData("NORMAL", true, "normal")]
    [InlineData("subs_not_exists", true, "noBinding")]
    [InlineData("CONTROL_DISABLE", true, "controlDisabled")]
    [InlineData("CALLED_NOT_EXISTS", true, "recipientNotFound")]
    [InlineData("SOMETHING_NEW", true, "other")]
    [InlineData(null, true, "normal")]
    [InlineData(null, false, "noBinding")]
    public void InterceptType_InOurWords(string? provider, bool bindingInEffect, string expected) =>
        Assert.Equal(expected, SmsInterception.InterceptType(provider, bindingInEffect ? InEffect : Ended));
}
