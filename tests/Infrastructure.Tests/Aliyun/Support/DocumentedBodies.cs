namespace BindingService.Infrastructure.Tests.Aliyun.Support;

/// <summary>The documented JSON success examples, as the provider's documents print them (with their type inconsistencies: docs/provider-rules.md, 'Documentation quirks').</summary>
internal static class DocumentedBodies
{
    public const string BindAxn = """{"SecretBindDTO":{"Extension":"130","SecretNo":"170****0000","SubsId":"100000076879****"},"Message":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","Code":"OK"}""";

    public const string BindAxnExtension = """{"SecretBindDTO":{"Extension":"130","SecretNo":"150*****0000","SubsId":"100000082000****"},"Message":"OK","RequestId":"9297B722-A016-43FB-B51A-E54050D9369D","Code":"OK"}""";

    public const string BindAxg = """{"Code":"OK","Message":"OK","RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990","SecretBindDTO":{"Extension":"150****0000","SubsId":"100000076389****","SecretNo":"171****0000"}}""";

    /// <summary>GroupId is a Long printed as a string (T42).</summary>
    public const string CreateAxgGroup = """{"Message":"OK","RequestId":"635C0FDA-9EBC-43D7-B368-9F583C08A126","Code":"OK","GroupId":"2000000000001"}""";

    public const string Ok = """{"Code":"OK","Message":"OK","RequestId":"986BCB6D-C9BF-42F9-91CE-3A9901233D36"}""";

    public const string QuerySubsId = """{"Message":"OK","RequestId":"F3BC6628-7976-41BA-87D0-D152BAB2A9C8","SubsId":"117809","Code":"OK"}""";

    public const string QuerySecretNoDetail =
        """
        {"Code":"OK","Message":"OK","RequestId":"066E6E47-04CB-4774-A976-4F73CB76D4A3",
         "SecretNoInfoDTO":{"PurchaseTime":"2021-12-03 15:19:27","Vendor":1,"Province":"陕西省","City":"西安","SecretStatus":0,"CertifyStatus":0}}
        """;

    /// <summary>Data is the String "true".</summary>
    public const string ConfirmSendSms = """{"Code":"OK","Message":"OK","Data":"true","RequestId":"1AB3CEF7-DCBE-488C-9C33-D180982CE031"}""";

    public const string QueryRecordFileDownloadUrl =
        """{"Message":"OK","RequestId":"1AB3CEF7-DCBE-488C-9C33-D180982CE031","Code":"OK","DownloadUrl":"http://secret-axb-reco****cn-shanghai.aliyuncs.com/1000000820257625_66647243838006067251551752068865.mp3?Expires=1551759607&OSSAccessKeyId=LTAIP00vvvvvvvv&Signature=tK6Yq9KusU4n%2BZQWXI7lg4/WmEA%3D"}""";

    public const string GetTotalPublicUrl =
        """{"Message":"OK","RequestId":"1AB3CEF7-DCBE-488C-9C33-D180982CE031","Data":{"RingPublicUrl":"http://secret-ab-reco/ring.mp3?Expires=1551759607","PhonePublicUrl":"http://secret-axb-reco/phone.mp3?Expires=1551759607"},"Code":"OK"}""";

    public const string GetSecretAsrDetail =
        """
        {"Code":"OK","Message":"OK",
         "Data":{"RequestId":"8d2329d407a83447a83be441681f4872ac74nE","BusinessId":"435ee78c7a019650@!FC100000074672458@!2020061522****",
          "BusinessKey":"JCGTncltuNao****","Code":"21050000","Msg":"SUCCESS","BizDuration":10944,"Type":"asrResult",
          "Sentences":[{"EndTime":1770,"SilenceDuration":0,"BeginTime":1020,"Text":"您好","ChannelId":0,"SpeechRate":80,"EmotionValue":"5.7"}]},
         "RequestId":"F655A8D5-B967-440B-8683-DAD6FF8DE990"}
        """;

    public const string QuerySecretNoRemain = """{"SecretRemainDTO":{"Amount":0,"City":"杭州"},"Message":"OK","RequestId":"9FC30594-3841-43AD-9008-03393BCB5CD2","Code":"OK"}""";

    /// <summary>The 全国列表 form in the SDK's wrapper style (T67).</summary>
    public const string QuerySecretNoRemainList =
        """{"SecretRemainDTO":{"Amount":"150","City":"全国列表","RemainDTOList":{"remainDTO":[{"Amount":120,"City":"武汉"},{"Amount":"30","City":"杭州"}]}},"RequestId":"R","Code":"OK"}""";

    public const string BuySecretNo = """{"SecretBuyInfoDTO":{"SecretNo":"17100000000"},"Message":"OK","RequestId":"2D1AEB96-96D0-454E-B0DC-AE2A8DF08020","Code":"OK"}""";

    public const string QueryPhoneNoAByTrackNo = """{"Code":"OK","Message":"请求成功","RequestId":"8906582E-6722","Module":[{"Extension":"130","PhoneNoX":"1710000****","PhoneNoA":"1310000****"}]}""";

    public const string AddAxnTrackNo = """{"Code":"OK","Message":"请求成功","RequestId":"8906582E-6722"}""";

    /// <summary>No top-level Code; Data.Success is the String "true" (R-FMT-3, T83).</summary>
    public const string CreatePickUpWaybill =
        """
        {"RequestId":"9FC30594-3841-43AD-9008-03393BCB5CD2","HttpStatusCode":200,"Message":"OK",
         "Data":{"Success":"true","CpCode":"YTO","MailNo":"77312345629****","ErrorCode":"无","ErrorMsg":"无","GotCode":"3524"}}
        """;

    /// <summary>Has a top-level Code; Data.Success is a Boolean.</summary>
    public const string CancelPickUpWaybill =
        """{"RequestId":"9FC30594-3841-43AD-9008-03393BCB5CD2","Code":"OK","Message":"请求成功","Data":{"Success":true,"ErrorCode":"无","Message":"取消成功","ErrorMsg":"无"}}""";

    public const string CreatePickUpWaybillPreQuery =
        """
        {"RequestId":"9FC30594-3841-43AD-9008-03393BCB5CD2","HttpStatusCode":200,"Message":"OK",
         "Data":{"Success":true,"ErrorCode":"无","ErrorMsg":"无","Code":"0","Message":"Success",
          "CpTimeSelectList":[{"RealTime":{"Name":"2小时上门","Selectable":false,"SelectDisableTip":"超过实时单下单时间范围"},
           "AppointTimes":[{"Date":"2022-04-28","DateSelectable":true,
             "TimeList":[{"StartTime":"10:00:00","EndTime":"12:00:00","Selectable":true,"SelectDisableTip":"约满"}]}],
           "PrePrice":"12.50"}]}}
        """;

    public const string PhoneNumberEncrypt =
        """
        {"RequestId":"CC3BB6D2-2FDF-4321-9DCE-B38165CE4C47","Message":"OK",
         "Data":[{"OriginalNumber":"1390000****","EncryptedNumber":"1400513****","ExpireTime":"2022-05-27 16:05:23","OutId":"215044c917374256269257695e9d22"}],
         "Code":"OK"}
        """;
}
