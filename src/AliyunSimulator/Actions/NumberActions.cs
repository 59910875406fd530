using BindingService.AliyunSimulator.Actions.AddSecretBlacklist;
using BindingService.AliyunSimulator.Actions.BuySecretNo;
using BindingService.AliyunSimulator.Actions.ConfirmSendSms;
using BindingService.AliyunSimulator.Actions.DeleteSecretBlacklist;
using BindingService.AliyunSimulator.Actions.GetSecretAsrDetail;
using BindingService.AliyunSimulator.Actions.GetTotalPublicUrl;
using BindingService.AliyunSimulator.Actions.LockSecretNo;
using BindingService.AliyunSimulator.Actions.OperateBlackNo;
using BindingService.AliyunSimulator.Actions.PhoneNumberEncrypt;
using BindingService.AliyunSimulator.Actions.QueryRecordFileDownloadUrl;
using BindingService.AliyunSimulator.Actions.QuerySecretNoDetail;
using BindingService.AliyunSimulator.Actions.QuerySecretNoRemain;
using BindingService.AliyunSimulator.Actions.ReleaseSecretNo;
using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions;

/// <summary>The number inventory, blacklist, recording/ASR/SMS and PhoneNumberEncrypt actions (docs/provider-rules.md, 'Actions').</summary>
public static class NumberActions
{
    public static IServiceCollection AddNumberActions(this IServiceCollection services)
    {
        services.PostConfigure<SimulatorOptions>(NumberDefaults.Apply);
        services.AddSingleton<IValidateOptions<SimulatorOptions>, NumberOptionsValidator>();
        services.AddHostedService<NumberInventorySeeder>();

        services.AddSingleton<IActionHandler, QuerySecretNoDetailHandler>();
        services.AddSingleton<IActionHandler, QuerySecretNoRemainHandler>();
        services.AddSingleton<IActionHandler, BuySecretNoHandler>();
        services.AddSingleton<IActionHandler, ReleaseSecretNoHandler>();
        services.AddSingleton<IActionHandler, LockSecretNoHandler>();
        services.AddSingleton<IActionHandler, UnlockSecretNoHandler>();
        services.AddSingleton<IActionHandler, OperateBlackNoHandler>();
        services.AddSingleton<IActionHandler, AddSecretBlacklistHandler>();
        services.AddSingleton<IActionHandler, DeleteSecretBlacklistHandler>();
        services.AddSingleton<IActionHandler, ConfirmSendSmsHandler>();
        services.AddSingleton<IActionHandler, QueryRecordFileDownloadUrlHandler>();
        services.AddSingleton<IActionHandler, GetTotalPublicUrlHandler>();
        services.AddSingleton<IActionHandler, GetSecretAsrDetailHandler>();
        services.AddSingleton<IActionHandler, PhoneNumberEncryptHandler>();
        return services;
    }
}

/// <summary>
/// Gives the configured numbers their attributes (bought "now", at start) and fills the stock on sale, once,
/// when the host starts: the store itself is built before any clock a test substitutes is known to be in place.
/// </summary>
internal sealed class NumberInventorySeeder(SimulatorStore store, IOptions<SimulatorOptions> options, ChinaClock clock) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = clock.UtcNow;
        store.Transact(s => s.SeedNumbers(settings.Stock, settings.CertifyStatus, now));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>The business errors of the number actions that <see cref="BusinessError"/> does not name (docs/provider-rules.md A.1, A.2).</summary>
public static class NumberErrors
{
    public const string NoNotExistCode = "isv.NO_NOT_EXIST";
    public const string IllegalArgumentCode = "isv.ILLEGAL_ARGUMENT";

    /// <summary>A.1: ConfirmSendSms's content errors, which a held SMS may be seeded with, and their documented messages.</summary>
    public static readonly IReadOnlyDictionary<string, string> SmsContentErrors = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["ContentUnsupported"] = "There is unsupported content, please check the incoming content.",
        ["SmartSmsContentNotWhite"] = "Smart SMS content is not configured in the white list.",
        ["SmsContentIllegal"] = "The SMS content is illegal, Please check and adjust it and try again.",
        ["SmsSignIllegal"] = "The SMS sign is illegal, Please check and adjust it and try again.",
        ["BlackKeyControlLimit"] = "You are under blacklist control, Please contact relevant personnel to cancel the operation.",
    };

    /// <summary>A.2 <c>isv.NO_NOT_EXIST</c>: the number is not in the pool (never bought, released, or in another pool).</summary>
    public static BusinessError NoNotExist() => new(NoNotExistCode, "The number does not exist in the specified pool.");

    /// <summary>A.2 <c>isv.ILLEGAL_ARGUMENT</c>: no call record matches the CallId, CallTime and pool given.</summary>
    public static BusinessError CallNotFound() =>
        new(IllegalArgumentCode, "Illegal argument: no call record matches CallId, CallTime and the pool.");

    /// <summary>A.1 (ConfirmSendSms): the pool does not exist.</summary>
    public static BusinessError PoolKeyNotFound() => new("PoolKeyNotFound", "The specified poolKey does not exist.");

    /// <summary>A.1 (ConfirmSendSms): parameters that match nothing.</summary>
    public static BusinessError InvalidJsonParam() => new("InvalidJsonParam", "There are unavailable parameters, please check the parameter list.");

    /// <summary>A.1 (AddSecretBlacklist, DeleteSecretBlacklist).</summary>
    public static BusinessError RamPermissionDenied() => new("RamPermissionDenied", "RAM permission is denied.");

    /// <summary>A.1 (GetSecretAsrDetail).</summary>
    public static BusinessError IspRamPermissionDenied() => new("isp.RAM_PERMISSION_DENIED", "RAM permission is denied.");
}

/// <summary>Log lines of the number actions (EventIds 917x), every phone number masked.</summary>
internal static partial class NumberLog
{
    [LoggerMessage(EventId = 9170, Level = LogLevel.Information, Message = "Number {SecretNo} (SpecId {SpecId}, {City}) bought into pool {PoolKey} (request {RequestId})")]
    public static partial void NumberBought(ILogger logger, string secretNo, long specId, string city, string poolKey, string requestId);

    [LoggerMessage(EventId = 9171, Level = LogLevel.Information, Message = "Number {SecretNo} released from pool {PoolKey} (request {RequestId})")]
    public static partial void NumberReleased(ILogger logger, string secretNo, string poolKey, string requestId);

    [LoggerMessage(EventId = 9172, Level = LogLevel.Information, Message = "Number {SecretNo} in pool {PoolKey} set to locked={Locked} (request {RequestId})")]
    public static partial void NumberLockChanged(ILogger logger, string secretNo, string poolKey, bool locked, string requestId);

    [LoggerMessage(EventId = 9173, Level = LogLevel.Information, Message = "Blacklist of pool {PoolKey}: {Operation} {BlackType} {BlackNo} (request {RequestId})")]
    public static partial void BlacklistChanged(ILogger logger, string poolKey, string operation, string blackType, string blackNo, string requestId);

    [LoggerMessage(EventId = 9174, Level = LogLevel.Information, Message = "Held SMS of call {CallId} in pool {PoolKey} confirmed and sent (request {RequestId})")]
    public static partial void SmsConfirmed(ILogger logger, string callId, string poolKey, string requestId);

    [LoggerMessage(EventId = 9175, Level = LogLevel.Information, Message = "Number {OriginalNumber} encrypted to {EncryptedNumber}, expiring {ExpireTime:O} (request {RequestId})")]
    public static partial void NumberEncrypted(ILogger logger, string originalNumber, string encryptedNumber, DateTimeOffset expireTime, string requestId);

    [LoggerMessage(EventId = 9176, Level = LogLevel.Information, Message = "Call {CallId} recorded in pool {PoolKey} on X {SecretNo} through the control API")]
    public static partial void CallRecorded(ILogger logger, string callId, string poolKey, string secretNo);
}

/// <summary>The X number an inventory action names: <c>SecretNo</c>, complete, in <c>PoolKey</c> (R-NUM-6, R-NUM-7, R-NUM-8).</summary>
public static class PoolNumberLookup
{
    /// <summary>The number, or <c>isv.POOLKEY_NOT_EXISTS</c> / <c>isv.NO_NOT_EXIST</c>. Runs inside the store transaction.</summary>
    public static BusinessError? TryFind(SimulatorState state, string poolKey, string secretNo, out SecretNumber number)
    {
        ArgumentNullException.ThrowIfNull(state);
        number = null!;
        if (!state.Pools.ContainsKey(poolKey))
        {
            return BusinessError.PoolKeyNotExists();
        }

        if (state.FindNumber(poolKey, secretNo) is not { } found)
        {
            return NumberErrors.NoNotExist();
        }

        number = found;
        return null;
    }
}
