using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Security;

/// <summary>
/// Validates the keyring at start-up (<see cref="SecurityOptions.Problems"/>), and outside the Development environment
/// refuses a phone encryption or hash key equal to one of the <see cref="DevelopmentKeys"/>: those are committed to the
/// repository, so numbers under them are not protected. The message names the setting, never the key.
/// </summary>
internal sealed class SecurityOptionsValidator(IHostEnvironment environment) : IValidateOptions<SecurityOptions>
{
    public ValidateOptionsResult Validate(string? name, SecurityOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var problems = options.Problems().ToList();
        if (!environment.IsDevelopment())
        {
            problems.AddRange(options.EncryptionKeys().Concat(options.HashKeys())
                .Where(k => DevelopmentKeys.IsDevelopmentKey(k.Base64))
                .Select(k => $"{k.Setting} is a development key (committed in src/Api/appsettings.Development.json); outside Development " +
                    "configure a key of your own, e.g. `openssl rand -base64 32` kept in a secret store (environment " +
                    $"{environment.EnvironmentName})."));
        }

        return problems.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(problems);
    }
}

/// <summary>The phone keys committed in src/Api/appsettings.Development.json (and docker-compose.yml): for local test data only.</summary>
public static class DevelopmentKeys
{
    public const string PhoneEncryptionKey = "ZGV2ZWxvcG1lbnQtb25seS1waG9uZS1lbmMta2V5ISE=";
    public const string PhoneHashKey = "ZGV2ZWxvcG1lbnQtb25seS1waG9uZS1oYXNoLWtleSEhIQ==";

    private static readonly byte[][] Keys = [Convert.FromBase64String(PhoneEncryptionKey), Convert.FromBase64String(PhoneHashKey)];

    /// <summary>Whether <paramref name="base64"/> decodes to a development key (however it is padded or spelt).</summary>
    public static bool IsDevelopmentKey(string? base64)
    {
        if (string.IsNullOrWhiteSpace(base64))
        {
            return false;
        }

        var buffer = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), buffer, out var length)
            && Keys.Any(k => k.AsSpan().SequenceEqual(buffer.AsSpan(0, length)));
    }
}
