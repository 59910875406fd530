using System.Net;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace BindingService.Infrastructure.Aliyun;

// docs/provider-rules.md, 'Actions': tracking numbers and door-to-door pickup orders.

/// <summary>
/// QueryPhoneNoAByTrackNo (R-QRY-3). <see cref="AliyunCallKind.Query"/>: reads only. The tracking number's
/// wire name is lowercase <c>trackNo</c> (T75), which sorts after every uppercase key when signing.
/// </summary>
public sealed record QueryPhoneNoAByTrackNoRequest : PopRequest<QueryPhoneNoAByTrackNoResponse>
{
    public override string Action => "QueryPhoneNoAByTrackNo";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    /// <summary>Sent as <c>trackNo</c>.</summary>
    public required string TrackNo { get; init; }

    public string? CabinetNo { get; init; }

    public string? PhoneNoX { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("trackNo", TrackNo);
        parameters.AddOptional("CabinetNo", CabinetNo);
        parameters.AddOptional("PhoneNoX", PhoneNoX);
    }
}

public sealed class QueryPhoneNoAByTrackNoResponse : PopResponse
{
    [JsonConverter(typeof(LenientListConverter<PhoneNoAInfoDto>))]
    public IReadOnlyList<PhoneNoAInfoDto>? Module { get; init; }
}

public sealed class PhoneNoAInfoDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Extension { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoX { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? PhoneNoA { get; init; }
}

/// <summary>
/// AddAxnTrackNo (R-LOG-1). <see cref="AliyunCallKind.Idempotent"/>: it attaches a tracking number to an
/// existing binding; attaching the same number to the same binding twice leaves the same attachment and creates
/// no binding. Sent as <c>trackNo</c>.
/// </summary>
public sealed record AddAxnTrackNoRequest : PopRequest<PopResponse>
{
    public override string Action => "AddAxnTrackNo";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    public required string PoolKey { get; init; }

    public required string PhoneNoX { get; init; }

    /// <summary>Sent as <c>trackNo</c>.</summary>
    public required string TrackNo { get; init; }

    public required string SubsId { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("PoolKey", PoolKey);
        parameters.Add("PhoneNoX", PhoneNoX);
        parameters.Add("trackNo", TrackNo);
        parameters.Add("SubsId", SubsId);
    }
}

/// <summary>A waybill address (SendAddress, ConsigneeAddress, and SenderInfo/ConsigneeInfo.AddressInfo), sent as JSON.</summary>
public sealed record WaybillAddress(string? ProvinceName, string? CityName, string? AreaName, string? AddressDetail, string? TownName = null) : IPopJsonValue
{
    void IPopJsonValue.WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteOptional("ProvinceName", ProvinceName);
        writer.WriteOptional("CityName", CityName);
        writer.WriteOptional("AreaName", AreaName);
        writer.WriteOptional("TownName", TownName);
        writer.WriteOptional("AddressDetail", AddressDetail);
        writer.WriteEndObject();
    }
}

/// <summary>One GoodsInfos element. Weight (grams) and Quantity go as JSON strings, as typed (T88).</summary>
public sealed record GoodsInfo(string? Name, long? Weight = null, long? Quantity = null) : IPopJsonValue
{
    void IPopJsonValue.WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteOptional("Name", Name);
        writer.WriteOptionalAsString("Weight", Weight);
        writer.WriteOptionalAsString("Quantity", Quantity);
        writer.WriteEndObject();
    }
}

/// <summary>SenderInfo / ConsigneeInfo of the pre-query, sent as JSON. ToString hides the mobile.</summary>
public sealed record PickUpParty(string Name, string Mobile, WaybillAddress? AddressInfo = null) : IPopJsonValue
{
    void IPopJsonValue.WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("Name", Name);
        writer.WriteString("Mobile", Mobile);
        if (AddressInfo is IPopJsonValue address)
        {
            writer.WritePropertyName("AddressInfo");
            address.WriteJson(writer);
        }

        writer.WriteEndObject();
    }

    public override string ToString() => nameof(PickUpParty);
}

/// <summary>BizType values of CreatePickUpWaybill.</summary>
public static class PickUpBizTypes
{
    public const int RealTime = 0;

    /// <summary>Needs AppointGotStartTime and AppointGotEndTime.</summary>
    public const int Appointment = 1;
}

/// <summary>
/// CreatePickUpWaybill (R-LOG-2). <see cref="AliyunCallKind.NotRepeatable"/>: it books a courier; the
/// documents do not say OuterOrderCode deduplicates, so a repeat could book a second pickup.
/// </summary>
public sealed record CreatePickUpWaybillRequest : PopRequest<CreatePickUpWaybillResponse>
{
    public override string Action => "CreatePickUpWaybill";

    public override AliyunCallKind Kind => AliyunCallKind.NotRepeatable;

    public required string OuterOrderCode { get; init; }

    public required string OrderChannels { get; init; }

    public string? CpCode { get; init; }

    public required string SendName { get; init; }

    /// <summary>SendMobile or SendPhone is required.</summary>
    public string? SendMobile { get; init; }

    public string? SendPhone { get; init; }

    public required WaybillAddress SendAddress { get; init; }

    public required string ConsigneeName { get; init; }

    /// <summary>ConsigneeMobile or ConsigneePhone is required.</summary>
    public string? ConsigneeMobile { get; init; }

    public string? ConsigneePhone { get; init; }

    /// <summary>Sent as <c>ConsigneeAddress</c> (not the table's ConsigneeAddresses: T78).</summary>
    public required WaybillAddress ConsigneeAddress { get; init; }

    public string? Remark { get; init; }

    public IReadOnlyList<GoodsInfo>? GoodsInfos { get; init; }

    /// <summary>A pre-query date plus a slot's start (T79); sent as China time. Required for an appointment.</summary>
    public DateTimeOffset? AppointGotStartTime { get; init; }

    public DateTimeOffset? AppointGotEndTime { get; init; }

    /// <summary>One of <see cref="PickUpBizTypes"/>; real time when omitted.</summary>
    public int? BizType { get; init; }

    internal override void Write(PopParameters parameters)
    {
        if (string.IsNullOrWhiteSpace(SendMobile) && string.IsNullOrWhiteSpace(SendPhone))
        {
            throw new ArgumentException("CreatePickUpWaybill: SendMobile or SendPhone is required.", nameof(SendMobile));
        }

        if (string.IsNullOrWhiteSpace(ConsigneeMobile) && string.IsNullOrWhiteSpace(ConsigneePhone))
        {
            throw new ArgumentException("CreatePickUpWaybill: ConsigneeMobile or ConsigneePhone is required.", nameof(ConsigneeMobile));
        }

        if (BizType == PickUpBizTypes.Appointment && (AppointGotStartTime is null || AppointGotEndTime is null))
        {
            throw new ArgumentException("CreatePickUpWaybill: an appointment (BizType 1) needs AppointGotStartTime and AppointGotEndTime.", nameof(BizType));
        }

        parameters.Add("OuterOrderCode", OuterOrderCode);
        parameters.Add("OrderChannels", OrderChannels);
        parameters.AddOptional("CpCode", CpCode);
        parameters.Add("SendName", SendName);
        parameters.AddOptional("SendMobile", SendMobile);
        parameters.AddOptional("SendPhone", SendPhone);
        parameters.AddJson("SendAddress", SendAddress, required: true);
        parameters.Add("ConsigneeName", ConsigneeName);
        parameters.AddOptional("ConsigneeMobile", ConsigneeMobile);
        parameters.AddOptional("ConsigneePhone", ConsigneePhone);
        parameters.AddJson("ConsigneeAddress", ConsigneeAddress, required: true);
        parameters.AddOptional("Remark", Remark);
        parameters.AddJsonArray("GoodsInfos", GoodsInfos);
        parameters.AddOptional("AppointGotStartTime", AppointGotStartTime);
        parameters.AddOptional("AppointGotEndTime", AppointGotEndTime);
        parameters.AddOptional("BizType", BizType);
    }
}

/// <summary>
/// The two waybill creation responses have no top-level Code (R-FMT-3): success is <c>HttpStatusCode == 200</c>
/// (with no Code other than OK). A failure without a Code is classified by that status.
/// </summary>
public abstract class PickUpWaybillResponse : PopResponse
{
    [JsonConverter(typeof(LenientInt64Converter))]
    public long? HttpStatusCode { get; init; }

    internal override bool Succeeded => HttpStatusCode == 200 && (Code is null || AliyunErrorMap.IsOk(Code));

    internal override HttpStatusCode FailureStatus(HttpStatusCode transportStatus) =>
        (int)transportStatus is >= 200 and < 300 && HttpStatusCode is >= 100 and <= 599
            ? (HttpStatusCode)(int)HttpStatusCode.Value
            : transportStatus;
}

/// <summary>Data.Success is the String "true" here (T83), read as a boolean; callers check it.</summary>
public sealed class CreatePickUpWaybillResponse : PickUpWaybillResponse
{
    public PickUpWaybillDto? Data { get; init; }

    internal override bool IsComplete => Data is not null;
}

/// <summary>ErrorMsg is not modelled (provider text).</summary>
public sealed class PickUpWaybillDto
{
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Success { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? CpCode { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? MailNo { get; init; }

    /// <summary>无 ("none") on success.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? GotCode { get; init; }
}

/// <summary>
/// CancelPickUpWaybill (R-LOG-3). <see cref="AliyunCallKind.Idempotent"/>: cancelling an order twice leaves
/// it cancelled and creates nothing.
/// </summary>
public sealed record CancelPickUpWaybillRequest : PopRequest<CancelPickUpWaybillResponse>
{
    public override string Action => "CancelPickUpWaybill";

    public override AliyunCallKind Kind => AliyunCallKind.Idempotent;

    public required string OuterOrderCode { get; init; }

    public required string CancelDesc { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.Add("OuterOrderCode", OuterOrderCode);
        parameters.Add("CancelDesc", CancelDesc);
    }
}

/// <summary>Has a top-level Code. Data.Success (a Boolean here) says whether the order was cancelled; callers check it.</summary>
public sealed class CancelPickUpWaybillResponse : PopResponse
{
    public CancelPickUpWaybillDto? Data { get; init; }
}

/// <summary>Data.Message and ErrorMsg are not modelled (provider text).</summary>
public sealed class CancelPickUpWaybillDto
{
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Success { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }
}

/// <summary>
/// CreatePickUpWaybillPreQuery (R-LOG-4). <see cref="AliyunCallKind.Query"/>: it asks about availability
/// and price and books nothing. OrderChannels must not contain an underscore (the provider checks it).
/// </summary>
public sealed record CreatePickUpWaybillPreQueryRequest : PopRequest<CreatePickUpWaybillPreQueryResponse>
{
    public override string Action => "CreatePickUpWaybillPreQuery";

    public override AliyunCallKind Kind => AliyunCallKind.Query;

    public required PickUpParty SenderInfo { get; init; }

    public required PickUpParty ConsigneeInfo { get; init; }

    public string? CpCode { get; init; }

    /// <summary>Grams; needed for a price.</summary>
    public long? PreWeight { get; init; }

    public string? OuterOrderCode { get; init; }

    public required string OrderChannels { get; init; }

    internal override void Write(PopParameters parameters)
    {
        parameters.AddJson("SenderInfo", SenderInfo, required: true);
        parameters.AddJson("ConsigneeInfo", ConsigneeInfo, required: true);
        parameters.AddOptional("CpCode", CpCode);
        parameters.AddOptional("PreWeight", PreWeight);
        parameters.AddOptional("OuterOrderCode", OuterOrderCode);
        parameters.Add("OrderChannels", OrderChannels);
    }
}

public sealed class CreatePickUpWaybillPreQueryResponse : PickUpWaybillResponse
{
    public PreQueryDataDto? Data { get; init; }

    internal override bool IsComplete => Data is not null;
}

/// <summary>Data: Success and Code ("0" on success) are the business result; callers check them. Message and ErrorMsg are not modelled.</summary>
public sealed class PreQueryDataDto
{
    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Success { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? Code { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? ErrorCode { get; init; }

    [JsonConverter(typeof(LenientListConverter<CpTimeSelectDto>))]
    public IReadOnlyList<CpTimeSelectDto>? CpTimeSelectList { get; init; }
}

/// <summary>One courier's options (TdTimeSelect).</summary>
public sealed class CpTimeSelectDto
{
    public RealTimeDto? RealTime { get; init; }

    [JsonConverter(typeof(LenientListConverter<AppointTimeDto>))]
    public IReadOnlyList<AppointTimeDto>? AppointTimes { get; init; }

    /// <summary>Yuan, two decimals, as text (only with PreWeight).</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? PrePrice { get; init; }
}

public sealed class RealTimeDto
{
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Name { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Selectable { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SelectDisableTip { get; init; }
}

public sealed class AppointTimeDto
{
    /// <summary>yyyy-MM-dd.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? Date { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? DateSelectable { get; init; }

    [JsonConverter(typeof(LenientListConverter<AppointTimeSlotDto>))]
    public IReadOnlyList<AppointTimeSlotDto>? TimeList { get; init; }
}

public sealed class AppointTimeSlotDto
{
    /// <summary>HH:mm:ss.</summary>
    [JsonConverter(typeof(LenientStringConverter))]
    public string? StartTime { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? EndTime { get; init; }

    [JsonConverter(typeof(LenientBooleanConverter))]
    public bool? Selectable { get; init; }

    [JsonConverter(typeof(LenientStringConverter))]
    public string? SelectDisableTip { get; init; }
}
