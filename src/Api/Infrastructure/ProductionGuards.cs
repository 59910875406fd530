using System.Net;
using BindingService.Api.Infrastructure.Auth;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Settings that are fine on a developer's machine and an incident anywhere else (docs/security.md): outside the
/// Development environment (and the test suite's own "Testing" environment) the service refuses to start with any of
/// them, naming the setting. The phone-number keys have their own check (the development keys are refused too).
/// </summary>
public static class ProductionGuards
{
    /// <summary>The environments in which development settings are allowed.</summary>
    public static bool AllowsDevelopmentSettings(IHostEnvironment environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        return environment.IsDevelopment() || environment.IsEnvironment("Testing");
    }

    /// <summary>The problems of <paramref name="configuration"/> for a non-development environment, each naming its setting.</summary>
    public static IReadOnlyList<string> Check(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        if (string.Equals(configuration["RabbitMq:Username"], "guest", StringComparison.Ordinal)
            || string.Equals(configuration["RabbitMq:Password"], "guest", StringComparison.Ordinal))
        {
            problems.Add("RabbitMq:Username/RabbitMq:Password: the broker's 'guest' account is for development only; give the service its own user.");
        }

        foreach (var setting in new[] { "Aliyun:Endpoint", "Aliyun:Dytnsapi:Endpoint" })
        {
            if (Uri.TryCreate(configuration[setting], UriKind.Absolute, out var endpoint)
                && endpoint.Scheme == Uri.UriSchemeHttp && !IsLoopback(endpoint))
            {
                problems.Add($"{setting}: '{endpoint.Host}' over plain http would send signed requests and phone numbers in clear; use https.");
            }
        }

        foreach (var setting in new[] { "Aliyun:AccessKeyId", "Aliyun:Dytnsapi:AccessKeyId" })
        {
            if (string.Equals(configuration[setting], "simulator-access-key", StringComparison.Ordinal))
            {
                problems.Add($"{setting}: this is the Aliyun simulator's access key; configure the account's real AccessKey.");
            }
        }

        if (string.Equals(configuration[$"{CallerAuthOptions.SectionName}:{nameof(CallerAuthOptions.Issuer)}"], DevTokens.Issuer, StringComparison.Ordinal))
        {
            problems.Add($"{CallerAuthOptions.SectionName}:{nameof(CallerAuthOptions.Issuer)}: '{DevTokens.Issuer}' is the development token issuer of scripts/run.sh; trust the platform's issuer.");
        }

        return problems;
    }

    /// <summary>Throws naming every problem, unless the environment allows development settings.</summary>
    public static void Enforce(IHostEnvironment environment, IConfiguration configuration)
    {
        if (AllowsDevelopmentSettings(environment))
        {
            return;
        }

        var problems = Check(configuration);
        if (problems.Count > 0)
        {
            throw new InvalidOperationException(
                $"Refusing to start in the {environment.EnvironmentName} environment with development settings:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems));
        }
    }

    private static bool IsLoopback(Uri endpoint) =>
        endpoint.IsLoopback || (IPAddress.TryParse(endpoint.Host, out var address) && IPAddress.IsLoopback(address));
}
