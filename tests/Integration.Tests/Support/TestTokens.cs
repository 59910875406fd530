using System.Net.Http.Headers;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json;
using BindingService.Api.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// The test suite's token issuer: its own signing key (made per run), trusted by every service instance the tests
/// start (<see cref="ServiceSettings"/>), and tokens for any caller, scopes, audience, lifetime or key.
/// </summary>
public static class TestTokens
{
    public const string Issuer = "https://issuer.tests.bindingservice.invalid";
    public const string Audience = "bindingservice";

    /// <summary>The caller the suite's default clients act as.</summary>
    public const string DefaultCaller = "default";

    public static readonly string AllScopes = "rides deliveries bindings pools:admin";

    private static readonly ECDsaSecurityKey Key = NewKey("tests-1");

    /// <summary>The JSON Web Key Set of the issuer's public key (Authentication:SigningKeys).</summary>
    public static readonly string KeySet = JsonSerializer.Serialize(new
    {
        keys = new[]
        {
            new Dictionary<string, string?>
            {
                ["kty"] = "EC", ["crv"] = "P-256", ["kid"] = Key.KeyId, ["use"] = "sig", ["alg"] = SecurityAlgorithms.EcdsaSha256,
                ["x"] = Base64UrlEncoder.Encode(Key.ECDsa.ExportParameters(false).Q.X),
                ["y"] = Base64UrlEncoder.Encode(Key.ECDsa.ExportParameters(false).Q.Y),
            },
        },
    });

    /// <summary>A key the service does not trust (a forged signature).</summary>
    public static ECDsaSecurityKey UntrustedKey() => NewKey("tests-1"); // same kid, other key

    public static string For(
        string caller = DefaultCaller, string? scopes = null, string audience = Audience, string issuer = Issuer,
        DateTime? notBefore = null, DateTime? expires = null, SecurityKey? key = null, string callerClaim = "sub", string scopeClaim = "scope")
    {
        var now = DateTime.UtcNow;
        var start = notBefore ?? now.AddMinutes(-1);
        return new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = issuer,
            Audience = audience,
            Subject = new ClaimsIdentity([new Claim(callerClaim, caller), new Claim(scopeClaim, scopes ?? AllScopes)]),
            NotBefore = start,
            IssuedAt = start,
            Expires = expires ?? now.AddHours(3),
            SigningCredentials = new SigningCredentials(key ?? Key, SecurityAlgorithms.EcdsaSha256),
        });
    }

    public static AuthenticationHeaderValue Bearer(string token) => new("Bearer", token);

    /// <summary>Makes <paramref name="client"/> call as <paramref name="caller"/> with all scopes; returns it.</summary>
    public static HttpClient Authorize(HttpClient client, string caller = DefaultCaller)
    {
        ArgumentNullException.ThrowIfNull(client);
        client.DefaultRequestHeaders.Authorization = Bearer(For(caller));
        return client;
    }

    /// <summary>The settings that make a service instance trust this issuer.</summary>
    public static void AddTo(IDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        settings["Authentication:Issuer"] = Issuer;
        settings["Authentication:Audience"] = Audience;
        settings["Authentication:SigningKeys"] = KeySet;
    }

    private static ECDsaSecurityKey NewKey(string id) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = id };
}

/// <summary>The service's real Program in process; its clients call as the default caller with every scope.</summary>
public abstract class TokenServiceFactory : WebApplicationFactory<CallerContext>
{
    protected override void ConfigureClient(HttpClient client)
    {
        base.ConfigureClient(client);
        TestTokens.Authorize(client);
    }
}
