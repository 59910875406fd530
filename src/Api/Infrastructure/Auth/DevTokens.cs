using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// <c>BindingService.Api dev-token --keys DIR [--caller ID] [--scopes "a b"] [--audience AUD] [--lifetime HH:MM:SS]</c>:
/// a token for local calls. The first use creates a development signing key in DIR (<c>dev-signing-key.pem</c>, private,
/// mode 600) and its public key set (<c>jwks.json</c>), which the service trusts when
/// <c>Authentication:SigningKeysFile</c> names it and <c>Authentication:Issuer</c> is <see cref="Issuer"/>
/// (scripts/run.sh does both). Outside Development the service refuses that issuer (<see cref="ProductionGuards"/>).
/// </summary>
public static class DevTokens
{
    public const string Issuer = "bindingservice-dev";
    public const string PrivateKeyFile = "dev-signing-key.pem";
    public const string KeySetFile = "jwks.json";

    public static int Run(IReadOnlyList<string> args, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        var options = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["--caller"] = "dev",
            ["--scopes"] = string.Join(' ', Scopes.All),
            ["--audience"] = new CallerAuthOptions().Audience,
            ["--lifetime"] = "12:00:00",
        };
        for (var i = 0; i < args.Count; i += 2)
        {
            if (i + 1 >= args.Count || !args[i].StartsWith("--", StringComparison.Ordinal))
            {
                error.WriteLine("usage: dev-token --keys DIR [--caller ID] [--scopes \"rides deliveries bindings pools:admin\"] [--audience AUD] [--lifetime HH:MM:SS]");
                return 2;
            }

            options[args[i]] = args[i + 1];
        }

        if (!options.TryGetValue("--keys", out var directory)
            || !TimeSpan.TryParse(options["--lifetime"], CultureInfo.InvariantCulture, out var lifetime) || lifetime <= TimeSpan.Zero)
        {
            error.WriteLine("dev-token: --keys DIR is required and --lifetime must be a positive time span (HH:MM:SS).");
            return 2;
        }

        var key = LoadOrCreateKey(directory);
        output.WriteLine(Create(key, options["--caller"], options["--scopes"], options["--audience"], lifetime));
        return 0;
    }

    /// <summary>A token signed by <paramref name="key"/> for <paramref name="caller"/> with <paramref name="scopes"/> (space-separated).</summary>
    public static string Create(SecurityKey key, string caller, string scopes, string audience, TimeSpan lifetime, string issuer = Issuer)
    {
        var now = DateTime.UtcNow;
        return new JsonWebTokenHandler().CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim("sub", caller), new Claim(CallerAuthentication.ScopeClaim, scopes)]),
            NotBefore = now.AddSeconds(-5),
            IssuedAt = now,
            Expires = now + lifetime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    private static ECDsaSecurityKey LoadOrCreateKey(string directory)
    {
        Directory.CreateDirectory(directory);
        var privatePath = Path.Combine(directory, PrivateKeyFile);
        var ecdsa = ECDsa.Create();
        if (File.Exists(privatePath))
        {
            ecdsa.ImportFromPem(File.ReadAllText(privatePath));
        }
        else
        {
            ecdsa.GenerateKey(ECCurve.NamedCurves.nistP256);
            File.WriteAllText(privatePath, ecdsa.ExportPkcs8PrivateKeyPem());
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(privatePath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
            }
        }

        var key = new ECDsaSecurityKey(ecdsa);
        key.KeyId = Base64UrlEncoder.Encode(key.ComputeJwkThumbprint());
        var jwk = JsonWebKeyConverter.ConvertFromECDsaSecurityKey(new ECDsaSecurityKey(ECDsa.Create(ecdsa.ExportParameters(includePrivateParameters: false))) { KeyId = key.KeyId });
        var publicKey = new Dictionary<string, string?>
        {
            ["kty"] = jwk.Kty, ["crv"] = jwk.Crv, ["x"] = jwk.X, ["y"] = jwk.Y, ["kid"] = jwk.Kid, ["use"] = "sig", ["alg"] = SecurityAlgorithms.EcdsaSha256,
        };
        File.WriteAllText(Path.Combine(directory, KeySetFile), JsonSerializer.Serialize(new { keys = new[] { publicKey } }));
        return key;
    }
}
