using Npgsql;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Secrets mounted as files (the Helm chart mounts its Secret at <c>/etc/bindingservice/secrets</c>, docs/security.md):
/// when <c>BINDINGSERVICE_SECRETS_DIR</c> names a directory, each file in it is one setting, its name the setting's
/// environment-variable form (<c>Aliyun__AccessKeySecret</c>) and its content the value (a trailing newline dropped).
/// They override every other source, so a secret never has to pass through an environment variable. One more rule:
/// <c>Database:Password</c>, when set, becomes the password of <c>ConnectionStrings:Postgres</c>.
/// (ASP.NET Core's key-per-file provider does this too, but no 10.0 version of it is served here and the 11.0 one
/// does not run on net10.0; these few lines stand in for it.)
/// </summary>
public static class SecretFiles
{
    public const string DirectoryVariable = "BINDINGSERVICE_SECRETS_DIR";

    public static ConfigurationManager AddSecretFiles(this ConfigurationManager configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var settings = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (configuration[DirectoryVariable] is { Length: > 0 } directory)
        {
            if (!Directory.Exists(directory))
            {
                throw new InvalidOperationException($"{DirectoryVariable} names '{directory}', which is not a directory.");
            }

            // Kubernetes keeps the files behind "..data" links; hidden entries (starting with '.') are its bookkeeping.
            foreach (var file in Directory.EnumerateFiles(directory).Where(f => !Path.GetFileName(f).StartsWith('.')))
            {
                settings[Path.GetFileName(file).Replace("__", ConfigurationPath.KeyDelimiter, StringComparison.Ordinal)] =
                    File.ReadAllText(file).TrimEnd('\n', '\r');
            }
        }

        if ((settings.GetValueOrDefault("Database:Password") ?? configuration["Database:Password"]) is { Length: > 0 } password)
        {
            var connection = settings.GetValueOrDefault("ConnectionStrings:Postgres") ?? configuration.GetConnectionString("Postgres") ?? string.Empty;
            settings["ConnectionStrings:Postgres"] = new NpgsqlConnectionStringBuilder(connection) { Password = password }.ConnectionString;
        }

        if (settings.Count > 0)
        {
            configuration.AddInMemoryCollection(settings);
        }

        return configuration;
    }
}
