using BindingService.Application.Abstractions;
using BindingService.Domain.Common;

namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>Requests and provider bodies used across the tests (bodies as the provider's documents print them: docs/provider-rules.md, 'Actions').</summary>
internal static class Samples
{
    public static readonly PhoneNumber PartyA = PhoneNumber.Parse("13812345678");
    public static readonly PhoneNumber PartyB = PhoneNumber.Parse("13987654321");
    public static readonly SubscriptionRef Subscription = new("FC123456", "1000000768798832", "17000000000");

    public static BindRequest Bind(string poolKey = "FC123456") =>
        new(Domain.Bindings.BindingProduct.Axb, poolKey, PartyA, PartyB, new DateTimeOffset(2026, 1, 1, 4, 0, 0, TimeSpan.Zero), OutId: "b-42");

    public const string BindAxbOk =
        """{"SecretBindDTO":{"Extension":"130","SecretNo":"170****0000","SubsId":"10000007683*****"},"Message":"OK","RequestId":"9297B722-A016-43FB-B51A-E54050D9369D","Code":"OK"}""";

    public const string UpdateOk = """{"Message":"OK","RequestId":"986BCB6D-C9BF-42F9-91CE-3A9901233D36","Code":"OK"}""";

    public const string UnbindOk = """{"Message":"OK","RequestId":"9B2757F9-8FD0-48B9-9640-EF54783A06C4","ChargeId":true,"Code":"OK"}""";

    public const string QueryOk =
        """
        {"Code":"OK","Message":"OK","RequestId":"066E6E47-04CB-4774-A976-4F73CB76D4A3",
         "SecretBindDetailDTO":{"Status":1,"Extension":"130","PhoneNoB":"13900002222","GroupId":2000000130001,"NeedRecord":true,"ASRStatus":true,
          "GmtCreate":"2019-03-05 12:00:00","ExpireDate":"2019-09-05 12:00:00","SubsId":"100000076879****","PhoneNoX":"13900001234",
          "CallRestrict":"CONTROL_BX_DISABLE","ASRModelId":"123456","PhoneNoA":"13900001111"}}
        """;

    /// <summary>The document's printed form (T55): String fields as bare JSON numbers.</summary>
    public const string QueryOkWithBareNumbers =
        """
        {"Code":"OK","Message":"OK","RequestId":"066E6E47-04CB-4774-A976-4F73CB76D4A3",
         "SecretBindDetailDTO":{"Status":1,"Extension":130,"PhoneNoB":13900002222,"GroupId":2000000130001,"NeedRecord":true,"ASRStatus":true,
          "GmtCreate":"2019-03-05 12:00:00","ExpireDate":"2019-09-05 12:00:00","SubsId":"100000076879****","PhoneNoX":13900001234,
          "CallRestrict":"CONTROL_BX_DISABLE","ASRModelId":123456,"PhoneNoA":13900001111}}
        """;

    public static string BusinessError(string code) =>
        $$"""{"Code":"{{code}}","Message":"provider text that must not leak","RequestId":"REQ-{{code}}"}""";

    public static string GatewayError(string code) =>
        $$"""{"RequestId":"GW-1","HostId":"dyplsapi.aliyuncs.com","Code":"{{code}}","Message":"provider text that must not leak","Recommend":"https://error-center.aliyun.com/status/search?Keyword={{code}}&source=PopGw"}""";
}
