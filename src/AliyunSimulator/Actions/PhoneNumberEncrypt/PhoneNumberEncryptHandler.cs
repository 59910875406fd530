using BindingService.AliyunSimulator.Configuration;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Actions.PhoneNumberEncrypt;

/// <summary>
/// PhoneNumberEncrypt (docs/provider-rules.md, 'Endpoint and version', R-ENC-1..5), product Dytnsapi, version <c>2020-02-17</c>: encrypts
/// one 11-digit mobile number into an 11-digit number starting with <c>140</c>, the same one until it expires
/// (<c>Simulator:Encryption:TtlHours</c>, 24 h). Answers <c>Data[{OriginalNumber, EncryptedNumber, ExpireTime, OutId}]</c>.
/// Errors with their documented HTTP status (A.1): <c>Product.Unsubscript</c>, <c>Ram.PermissionDeny</c>,
/// <c>AuthCodeIllegal</c> (an AuthCode not in <c>Simulator:Encryption:AuthCodes</c>) and <c>InvalidParameter</c>, all 400.
/// </summary>
public sealed class PhoneNumberEncryptHandler(
    SimulatorStore store,
    ChinaClock clock,
    IOptions<SimulatorOptions> options,
    ILogger<PhoneNumberEncryptHandler> logger) : IActionHandler
{
    public const string ApiVersion = "2020-02-17";
    public const string NormalMask = "NORMAL";
    public const int MaxOutIdLength = 64;

    public string Action => "PhoneNumberEncrypt";

    public string Version => ApiVersion;

    public IReadOnlyList<string> RequiredParameters { get; } = ["AuthCode", "InputNumber", "Mask"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var settings = options.Value;
        var now = clock.UtcNow;
        if (settings.Encryption.UnsubscribedAccessKeyIds.Contains(request.AccessKeyId, StringComparer.Ordinal))
        {
            return new BusinessError("Product.Unsubscript", "You have not subscribed to the specified product.");
        }

        if (settings.RamDeniedAccessKeyIds.Contains(request.AccessKeyId, StringComparer.Ordinal))
        {
            return new BusinessError("Ram.PermissionDeny", "You are not authorized to perform the operation.");
        }

        if (!settings.Encryption.AuthCodes.Contains(request.Required("AuthCode"), StringComparer.Ordinal))
        {
            return new BusinessError("AuthCodeIllegal", "Illegal authCode.");
        }

        // Exactly one mobile number (R-ENC-2), Mask NORMAL (R-ENC-3), OutId of at most 64 characters (R-ENC-4).
        var input = request.Required("InputNumber");
        var outId = request.Optional("OutId");
        if (!ParameterRules.IsPhoneNumber(input) || input[0] != '1'
            || request.Required("Mask") != NormalMask
            || outId is { Length: > MaxOutIdLength })
        {
            return new BusinessError("InvalidParameter", "Invalid parameter.");
        }

        var ttl = TimeSpan.FromHours(settings.Encryption.TtlHours);
        var encrypted = store.Transact(state => state.Encrypt(input, ttl, now));
        NumberLog.NumberEncrypted(logger, PhoneMask.Mask(input), PhoneMask.Mask(encrypted.Encrypted), encrypted.ExpireTime, request.RequestId);
        return ActionResult.Ok(new ResponseBody
        {
            {
                "Data", new List<object>
                {
                    new ResponseBody
                    {
                        { "OriginalNumber", encrypted.Original },
                        { "EncryptedNumber", encrypted.Encrypted },
                        { "ExpireTime", clock.Format(encrypted.ExpireTime) },
                        { "OutId", outId },
                    },
                }
            },
        });
    }
}
