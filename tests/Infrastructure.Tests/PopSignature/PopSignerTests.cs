using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BindingService.PopSignature;

namespace BindingService.Infrastructure.Tests.PopSignature;

/// <summary>The published and derived test vectors of docs/provider-rules.md, 'Signing'.</summary>
public sealed class PopSignerTests
{
    private const string Secret = "testSecret";
    private const string Nonce = "45e25e9b-0a6f-4070-8c85-2956eda1b466";
    private const string Timestamp = "2017-07-12T02:42:19Z";

    private static List<KeyValuePair<string, string>> SendSms(string templateParam = """{"customer":"test"}""") =>
    [
        new("AccessKeyId", "testId"),
        new("Action", "SendSms"),
        new("Format", "XML"),
        new("OutId", "123"),
        new("PhoneNumbers", "15300000001"),
        new("RegionId", "cn-hangzhou"),
        new("SignName", "阿里云短信测试专用"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
        new("TemplateCode", "SMS_71390007"),
        new("TemplateParam", templateParam),
        new("Timestamp", Timestamp),
        new("Version", "2017-05-25"),
    ];

    // Deliberately not in sorted order: the signer must sort.
    private static List<KeyValuePair<string, string>> BindAxbD1() =>
    [
        new("Version", "2017-05-25"),
        new("Timestamp", Timestamp),
        new("PhoneNoB", "13700000002"),
        new("PhoneNoA", "13700000001"),
        new("AccessKeyId", "testId"),
        new("Action", "BindAxb"),
        new("ExpectCity", "北京"),
        new("Expiration", "2017-07-12 12:00:00"),
        new("Format", "JSON"),
        new("OutId", "123"),
        new("PoolKey", "FC123456"),
        new("RegionId", "cn-hangzhou"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
    ];

    private static List<KeyValuePair<string, string>> AddAxnTrackNoD2() =>
    [
        new("trackNo", "YT1234567890"),
        new("AccessKeyId", "testId"),
        new("Action", "AddAxnTrackNo"),
        new("Format", "JSON"),
        new("PhoneNoX", "17000000000"),
        new("PoolKey", "FC123456"),
        new("RegionId", "cn-hangzhou"),
        new("SignatureMethod", "HMAC-SHA1"),
        new("SignatureNonce", Nonce),
        new("SignatureVersion", "1.0"),
        new("SubsId", "1000000768798832"),
        new("Timestamp", Timestamp),
        new("Version", "2017-05-25"),
    ];

    [Fact]
    public void SendSmsVector_HasTheDocumentedCanonicalQuery()
    {
        Assert.Equal(
            "AccessKeyId=testId&Action=SendSms&Format=XML&OutId=123&PhoneNumbers=15300000001&RegionId=cn-hangzhou&SignName=%E9%98%BF%E9%87%8C%E4%BA%91%E7%9F%AD%E4%BF%A1%E6%B5%8B%E8%AF%95%E4%B8%93%E7%94%A8&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&TemplateCode=SMS_71390007&TemplateParam=%7B%22customer%22%3A%22test%22%7D&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
            PopSigner.CanonicalizedQuery(SendSms()));
    }

    [Fact]
    public void SendSmsVector_HasTheDocumentedStringToSign()
    {
        Assert.Equal(
            "GET&%2F&AccessKeyId%3DtestId%26Action%3DSendSms%26Format%3DXML%26OutId%3D123%26PhoneNumbers%3D15300000001%26RegionId%3Dcn-hangzhou%26SignName%3D%25E9%2598%25BF%25E9%2587%258C%25E4%25BA%2591%25E7%259F%25AD%25E4%25BF%25A1%25E6%25B5%258B%25E8%25AF%2595%25E4%25B8%2593%25E7%2594%25A8%26SignatureMethod%3DHMAC-SHA1%26SignatureNonce%3D45e25e9b-0a6f-4070-8c85-2956eda1b466%26SignatureVersion%3D1.0%26TemplateCode%3DSMS_71390007%26TemplateParam%3D%257B%2522customer%2522%253A%2522test%2522%257D%26Timestamp%3D2017-07-12T02%253A42%253A19Z%26Version%3D2017-05-25",
            PopSigner.StringToSign("GET", SendSms()));
    }

    [Fact]
    public void SendSmsVector_SignsToThePublishedSignature()
    {
        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", PopSigner.Sign("GET", SendSms(), Secret));
    }

    [Fact]
    public void SendSmsVector_SendsThePublishedSignaturePercentEncoded()
    {
        var signed = PopSigner.ToSignedQuery(SendSms(), "zJDF+Lrzhj/ThnlvIToysFRq6t4=");

        Assert.EndsWith("&Signature=zJDF%2BLrzhj%2FThnlvIToysFRq6t4%3D", signed, StringComparison.Ordinal);
    }

    [Fact]
    public void SendSmsVector_WithASpaceInTemplateParam_SignsDifferently()
    {
        var signature = PopSigner.Sign("GET", SendSms("""{"customer": "test"}"""), Secret);

        Assert.Equal("4YRmaIF2831Ug+gnpbpqTk9VXJw=", signature);
        Assert.NotEqual("zJDF+Lrzhj/ThnlvIToysFRq6t4=", signature);
    }

    [Fact]
    public void SignatureParameter_IsLeftOutOfItsOwnComputation()
    {
        var withSignature = SendSms();
        withSignature.Add(new("Signature", "anything"));

        Assert.Equal("zJDF+Lrzhj/ThnlvIToysFRq6t4=", PopSigner.Sign("GET", withSignature, Secret));
    }

    [Fact]
    public void BindAxbVectorD1_HasTheDerivedCanonicalQuery()
    {
        Assert.Equal(
            "AccessKeyId=testId&Action=BindAxb&ExpectCity=%E5%8C%97%E4%BA%AC&Expiration=2017-07-12%2012%3A00%3A00&Format=JSON&OutId=123&PhoneNoA=13700000001&PhoneNoB=13700000002&PoolKey=FC123456&RegionId=cn-hangzhou&SignatureMethod=HMAC-SHA1&SignatureNonce=45e25e9b-0a6f-4070-8c85-2956eda1b466&SignatureVersion=1.0&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25",
            PopSigner.CanonicalizedQuery(BindAxbD1()));
    }

    [Theory]
    [InlineData("GET", "nMbku1rJB6sIwzBGh76vqkJre6c=")]
    [InlineData("POST", "UajJwAT8zedzSdo2geIvUhx2YbY=")]
    public void BindAxbVectorD1_SignsToTheDerivedSignature_ForEachMethod(string method, string expected)
    {
        Assert.Equal(expected, PopSigner.Sign(method, BindAxbD1(), Secret));
    }

    [Fact]
    public void AddAxnTrackNoVectorD2_SortsLowercaseTrackNoLast_AndSignsToTheDerivedSignature()
    {
        Assert.EndsWith("&Timestamp=2017-07-12T02%3A42%3A19Z&Version=2017-05-25&trackNo=YT1234567890", PopSigner.CanonicalizedQuery(AddAxnTrackNoD2()), StringComparison.Ordinal);
        Assert.Equal("BvieduJmA5oeC2v28TdDpPiWVa8=", PopSigner.Sign("GET", AddAxnTrackNoD2(), Secret));
    }

    public static TheoryData<string> CultureComparers => ["InvariantCultureIgnoreCase", "InvariantCulture", "CurrentCulture(en-US)", "CurrentCulture(zh-CN)"];

    [Theory]
    [MemberData(nameof(CultureComparers))]
    public void AddAxnTrackNoVectorD2_SortedByCultureInsteadOfOrdinal_GivesTheKnownWrongSignature(string comparerName)
    {
        var saved = CultureInfo.CurrentCulture;
        try
        {
            StringComparer comparer;
            switch (comparerName)
            {
                case "InvariantCultureIgnoreCase":
                    comparer = StringComparer.InvariantCultureIgnoreCase;
                    break;
                case "InvariantCulture":
                    comparer = StringComparer.InvariantCulture;
                    break;
                default:
                    CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo(comparerName.Contains("zh", StringComparison.Ordinal) ? "zh-CN" : "en-US");
                    comparer = StringComparer.CurrentCulture;
                    break;
            }

            var cultureCanonical = string.Join('&', AddAxnTrackNoD2()
                .OrderBy(p => p.Key, comparer)
                .Select(p => PopSigner.Encode(p.Key) + "=" + PopSigner.Encode(p.Value)));
            var stringToSign = "GET&" + PopSigner.Encode("/") + "&" + PopSigner.Encode(cultureCanonical);
            var wrong = Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret + "&"), Encoding.UTF8.GetBytes(stringToSign)));

            Assert.NotEqual(PopSigner.CanonicalizedQuery(AddAxnTrackNoD2()), cultureCanonical);
            Assert.Equal("jNPWYY6g+yBVPiFQDbMDL4Dk1po=", wrong);
            Assert.NotEqual(wrong, PopSigner.Sign("GET", AddAxnTrackNoD2(), Secret));
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(" ", "%20")]
    [InlineData("*", "%2A")]
    [InlineData("~", "~")]
    [InlineData("+", "%2B")]
    [InlineData("/", "%2F")]
    [InlineData(":", "%3A")]
    [InlineData("=&", "%3D%26")]
    [InlineData("Az09-_.", "Az09-_.")]
    [InlineData("北京", "%E5%8C%97%E4%BA%AC")]
    [InlineData("阿里云", "%E9%98%BF%E9%87%8C%E4%BA%91")]
    public void Encode_UsesRfc3986WithUpperCaseHexOfTheUtf8Bytes(string raw, string expected)
    {
        Assert.Equal(expected, PopSigner.Encode(raw));
    }

    [Fact]
    public void Verify_AcceptsItsOwnSignature_AndRejectsAChangedValueOrMethod()
    {
        var signature = PopSigner.Sign("POST", BindAxbD1(), Secret);
        var tampered = BindAxbD1().Select(p => p.Key == "PhoneNoB" ? new KeyValuePair<string, string>(p.Key, "13700000003") : p).ToList();

        Assert.True(PopSigner.Verify("POST", BindAxbD1(), Secret, signature));
        Assert.False(PopSigner.Verify("POST", tampered, Secret, signature));
        Assert.False(PopSigner.Verify("GET", BindAxbD1(), Secret, signature));
        Assert.False(PopSigner.Verify("POST", BindAxbD1(), "otherSecret", signature));
    }

    [Fact]
    public void SignedQuery_IsTheCanonicalQueryWithItsSignature_ForEveryVector()
    {
        foreach (var parameters in new[] { SendSms(), BindAxbD1(), AddAxnTrackNoD2() })
        {
            foreach (var method in new[] { "GET", "POST" })
            {
                Assert.Equal(PopSigner.ToSignedQuery(parameters, PopSigner.Sign(method, parameters, Secret)), PopSigner.SignedQuery(method, parameters, Secret));
                Assert.Equal(
                    Convert.ToBase64String(HMACSHA1.HashData(Encoding.UTF8.GetBytes(Secret + "&"), Encoding.UTF8.GetBytes(PopSigner.StringToSign(method, parameters)))),
                    PopSigner.Sign(method, parameters, Secret));
            }
        }
    }

    [Theory]
    [InlineData("plain-Value_1.0~")]
    [InlineData("")]
    [InlineData("a b*c/d+e=f&g%h")]
    [InlineData("北京 市")]
    [InlineData("emoji \U0001F600 end")]
    [InlineData("lone \uD800 surrogate")]
    [InlineData("\u007F\u0080\u00FF")]
    public void Encode_IsThePercentEncodingOfTheWholeUtf8Encoding(string escaped)
    {
        var raw = System.Text.RegularExpressions.Regex.Unescape(escaped);
        var expected = string.Concat(Encoding.UTF8.GetBytes(raw).Select(b =>
            (char)b is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~'
                ? ((char)b).ToString()
                : "%" + b.ToString("X2", CultureInfo.InvariantCulture)));

        Assert.Equal(expected, PopSigner.Encode(raw));
        Assert.Equal("k=" + expected, PopSigner.CanonicalizedQuery([new("k", raw)]));
    }

    [Fact]
    public void EqualKeys_KeepTheirOrder()
    {
        Assert.Equal("A=1&B=2&B=1&C=3", PopSigner.CanonicalizedQuery([new("C", "3"), new("B", "2"), new("A", "1"), new("B", "1")]));
    }
}
