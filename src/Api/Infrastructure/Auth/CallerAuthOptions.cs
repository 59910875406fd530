using System.ComponentModel.DataAnnotations;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// Configuration section "Authentication": who may call (docs/security.md). Callers present a JWT bearer token whose
/// issuer, audience, lifetime and signature are checked. The signing keys come from OIDC discovery at
/// <see cref="Authority"/> (for example a Kubernetes cluster's service-account issuer, so pods call with projected
/// service-account tokens) or from a JSON Web Key Set given inline (<see cref="SigningKeys"/>) or as a file
/// (<see cref="SigningKeysFile"/>, e.g. a mounted secret or config map).
/// </summary>
public sealed class CallerAuthOptions
{
    public const string SectionName = "Authentication";

    /// <summary>The OIDC issuer whose discovery document (/.well-known/openid-configuration) names the signing keys.</summary>
    public string? Authority { get; set; }

    /// <summary>The expected <c>iss</c>. Defaults to <see cref="Authority"/>.</summary>
    public string? Issuer { get; set; }

    /// <summary>The expected <c>aud</c> (one of the token's audiences must equal it).</summary>
    [Required]
    public string Audience { get; set; } = "bindingservice";

    /// <summary>A JSON Web Key Set (<c>{"keys":[…]}</c>) of the public keys that sign tokens.</summary>
    public string? SigningKeys { get; set; }

    /// <summary>A file holding a JSON Web Key Set, read at start-up.</summary>
    public string? SigningKeysFile { get; set; }

    /// <summary>The claim that names the caller; its value is the caller id every order, binding and key belongs to.</summary>
    [Required]
    public string CallerIdClaim { get; set; } = "sub";

    /// <summary>Whether discovery must use https (off only for a loopback issuer in development).</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>Tolerated clock difference between the issuer and us.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Where signing keys come from, for the start-up check and the docs.</summary>
    internal bool HasKeySource => !string.IsNullOrWhiteSpace(Authority) || !string.IsNullOrWhiteSpace(SigningKeys) || !string.IsNullOrWhiteSpace(SigningKeysFile);
}
