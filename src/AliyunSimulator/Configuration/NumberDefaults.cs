using System.Globalization;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Configuration;

/// <summary>
/// Defaults of the number, blacklist, call-record and PhoneNumberEncrypt settings, applied after
/// <see cref="SimulatorDefaults"/>, and the HTTP statuses the documents give their error codes (docs/provider-rules.md A.1).
/// </summary>
public static class NumberDefaults
{
    /// <summary>The AuthCode PhoneNumberEncrypt accepts when none is configured.</summary>
    public const string AuthCode = "SIMULATOR-AUTH-CODE";

    /// <summary>City value for 95 numbers, which have no home city (R-NUM-3, R-NUM-4).</summary>
    public const string Nationwide95 = "全国通用";

    /// <summary>The codes the documents list with an HTTP status (docs/provider-rules.md A.1). A configured status wins.</summary>
    public static readonly IReadOnlyDictionary<string, int> DocumentedHttpStatus = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["FlowLimited"] = 400,
        ["ProductUnsubscribe"] = 400,
        ["PoolKeyNotFound"] = 400,
        ["ContentUnsupported"] = 400,
        ["InvalidJsonParam"] = 400,
        ["SmartSmsContentNotWhite"] = 400,
        ["SmsContentIllegal"] = 400,
        ["SmsSignIllegal"] = 400,
        ["BlackKeyControlLimit"] = 400,
        ["isp.RAM_PERMISSION_DENIED"] = 400,
        ["RamPermissionDenied"] = 400,
        ["Product.Unsubscript"] = 400,
        ["Ram.PermissionDeny"] = 400,
        ["System.LimitControl"] = 400,
        ["Unknown.ResourceOwnerId"] = 400,
        ["InvalidParameter"] = 400,
        ["AuthCodeIllegal"] = 400,
        ["InternalError"] = 500,
        ["RequestTimeout"] = 500,
        ["RequestSupplierError"] = 500,
        ["Permission.NotAuthorized"] = 403,
    };

    /// <summary>Provinces of the cities the defaults and tests use; a configured number in another city reports an empty Province.</summary>
    private static readonly Dictionary<string, string> Provinces = new(StringComparer.Ordinal)
    {
        ["北京"] = "北京市",
        ["上海"] = "上海市",
        ["天津"] = "天津市",
        ["重庆"] = "重庆市",
        ["杭州"] = "浙江省",
        ["宁波"] = "浙江省",
        ["广州"] = "广东省",
        ["深圳"] = "广东省",
        ["南京"] = "江苏省",
        ["武汉"] = "湖北省",
        ["成都"] = "四川省",
        ["西安"] = "陕西省",
        [Nationwide95] = string.Empty,
    };

    /// <summary>
    /// The default stock: 170/171 numbers in 杭州, 北京 and 武汉 (SpecId 1), carrier numbers in 上海 and 西安
    /// (SpecId 2), and 95 numbers (SpecId 3). A number that is already in a pool is not on sale.
    /// </summary>
    public static List<StockOptions> DefaultStock() =>
    [
        new() { SpecId = 1, City = "杭州", Province = "浙江省", Vendor = 1, Start = "17150000001", Count = 50 },
        new() { SpecId = 1, City = "北京", Province = "北京市", Vendor = 2, Start = "17150001001", Count = 50 },
        new() { SpecId = 1, City = "武汉", Province = "湖北省", Vendor = 3, Start = "17050009001", Count = 20 },
        new() { SpecId = 2, City = "上海", Province = "上海市", Vendor = 3, Start = "13350000001", Count = 30 },
        new() { SpecId = 2, City = "西安", Province = "陕西省", Vendor = 1, Start = "15850000001", Count = 30 },
        new() { SpecId = 3, City = Nationwide95, Province = string.Empty, Vendor = 1, Start = "950135000001", Count = 20 },
    ];

    public static string ProvinceOf(string city) => Provinces.GetValueOrDefault(city, string.Empty);

    /// <summary>SpecId of a configured number, from its shape: 95… is 3, 170/171 is 1, anything else 2.</summary>
    public static long SpecIdOf(string secretNo) =>
        secretNo.StartsWith("95", StringComparison.Ordinal) ? 3
        : secretNo.StartsWith("170", StringComparison.Ordinal) || secretNo.StartsWith("171", StringComparison.Ordinal) ? 1
        : 2;

    /// <summary>The numbers a stock entry describes.</summary>
    public static IEnumerable<string> Expand(StockOptions stock)
    {
        ArgumentNullException.ThrowIfNull(stock);
        if (stock.Count <= 0 || string.IsNullOrEmpty(stock.Start) || !stock.Start.All(char.IsAsciiDigit) || stock.Start.Length > 18)
        {
            yield break;
        }

        var start = ulong.Parse(stock.Start, CultureInfo.InvariantCulture);
        for (var i = 0; i < stock.Count; i++)
        {
            yield return (start + (ulong)i).ToString(CultureInfo.InvariantCulture).PadLeft(stock.Start.Length, '0');
        }
    }

    /// <summary>Fills the lists left unconfigured and gives the documented codes their HTTP status.</summary>
    internal static void Apply(SimulatorOptions options)
    {
        if (options.Stock.Count == 0)
        {
            options.Stock.AddRange(DefaultStock());
        }

        if (options.Encryption.AuthCodes.Count == 0)
        {
            options.Encryption.AuthCodes.Add(AuthCode);
        }

        foreach (var (code, status) in DocumentedHttpStatus)
        {
            options.BusinessErrorHttpStatus.TryAdd(code, status);
        }
    }
}

/// <summary>Refuses to start on number, call-record or encryption settings that would make the simulator misbehave.</summary>
internal sealed class NumberOptionsValidator : IValidateOptions<SimulatorOptions>
{
    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        var failures = new List<string>();
        var onSale = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (stock, i) in options.Stock.Select((s, i) => (s, i)))
        {
            if (stock.SpecId is < 1 or > 3)
            {
                failures.Add($"Simulator:Stock:{i}:SpecId must be 1, 2 or 3.");
            }

            if (string.IsNullOrWhiteSpace(stock.City) || (stock.SpecId == 3) != (stock.City == NumberDefaults.Nationwide95))
            {
                failures.Add($"Simulator:Stock:{i}:City is required, and is {NumberDefaults.Nationwide95} exactly when SpecId is 3.");
            }

            if (stock.Vendor is < 1 or > 3)
            {
                failures.Add($"Simulator:Stock:{i}:Vendor must be 1, 2 or 3.");
            }

            if (stock.Count < 0 || !IsDigits(stock.Start) || stock.Start.Length > 18)
            {
                failures.Add($"Simulator:Stock:{i} needs a digits-only Start (at most 18 digits) and a Count >= 0.");
                continue;
            }

            foreach (var number in NumberDefaults.Expand(stock))
            {
                if (!onSale.Add(number))
                {
                    failures.Add($"Simulator:Stock:{i} repeats number {number} of another stock entry.");
                    break;
                }
            }
        }

        if (options.CertifyStatus is not (0 or 1))
        {
            failures.Add("Simulator:CertifyStatus must be 0 or 1.");
        }

        if (options.CallRecords.UrlValidMinutes < 1 || options.CallRecords.RetentionDays < 1 || options.CallRecords.SmsConfirmWindowHours < 1)
        {
            failures.Add("Simulator:CallRecords:UrlValidMinutes, RetentionDays and SmsConfirmWindowHours must be at least 1.");
        }

        if (string.IsNullOrWhiteSpace(options.CallRecords.UrlHost) || Uri.CheckHostName(options.CallRecords.UrlHost) != UriHostNameType.Dns)
        {
            failures.Add("Simulator:CallRecords:UrlHost must be a DNS host name.");
        }

        if (options.Encryption.TtlHours < 1)
        {
            failures.Add("Simulator:Encryption:TtlHours must be at least 1.");
        }

        if (options.Encryption.AuthCodes.Any(string.IsNullOrWhiteSpace))
        {
            failures.Add("Simulator:Encryption:AuthCodes may not hold a blank code.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsDigits(string? value) => !string.IsNullOrEmpty(value) && value.All(char.IsAsciiDigit);
}
