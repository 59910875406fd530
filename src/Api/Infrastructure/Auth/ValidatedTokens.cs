using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// Remembers bearer tokens that passed every check, so that a caller presenting the same token on every request is
/// not parsed and validated again each time (docs/security.md, "Validated tokens"). What a token's validation decides
/// is a function of the token's bytes and of configuration fixed at start-up (issuer, audience, algorithms, the caller
/// claim), except two things, which are checked on every request, remembered or not:
/// <list type="bullet">
/// <item><b>time</b>: a remembered token is taken only between its not-before and its expiry (with the configured clock
/// skew, as the validator allows); outside them the token goes through the full validation, which refuses it with its
/// own reason;</item>
/// <item><b>the key</b>: a remembered token is taken only while the key that verified its signature is still one of
/// the trusted keys (configured, or from the discovery document now in use); after a rotation it is validated again.</item>
/// </list>
/// Only successes are remembered (a refused token is validated, and refused, every time), keyed by the exact token
/// string. At most <see cref="Capacity"/> tokens; when full it starts again empty. A miss is never an answer: the
/// request then goes through the token handler as if this did not exist.
/// </summary>
internal sealed class ValidatedTokens(TimeProvider clock, int capacity = ValidatedTokens.DefaultCapacity)
{
    public const int DefaultCapacity = 4_096;

    private const string Scheme = "Bearer ";

    private readonly ResettingMemo<string, Validated> _tokens = new(capacity, StringComparer.Ordinal);
    private long _hits;

    public int Capacity => _tokens.Capacity;

    /// <summary>How many requests were answered from the cache (for tests and diagnostics).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>
    /// The bearer handler's first step: when the request's token was validated before and still holds (time, key), the
    /// request is authenticated with that token's identity and the handler's validation is skipped.
    /// </summary>
    public async Task OnMessageReceivedAsync(MessageReceivedContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var token = BearerToken(context.Request.Headers.Authorization);
        if (token is null || !_tokens.TryGetValue(token, out var validated))
        {
            return;
        }

        // In time as the validator reckons it: not-before at most now + skew, expiry at least now - skew (a token without
        // not-before has DateTime.MinValue there, so the bounds are moved with now, never with the token's times).
        var skew = context.Options.TokenValidationParameters.ClockSkew;
        var now = clock.GetUtcNow().UtcDateTime;
        if (validated.ValidFrom > now + skew || validated.ValidTo < now - skew
            || !await IsTrustedAsync(validated.Key, context.Options, context.HttpContext.RequestAborted))
        {
            return;
        }

        Interlocked.Increment(ref _hits);
        context.Principal = new ClaimsPrincipal(validated.Identity);
        context.Properties.IssuedUtc = validated.ValidFrom == DateTime.MinValue ? null : validated.ValidFrom;
        context.Properties.ExpiresUtc = validated.ValidTo;
        context.Success();
    }

    /// <summary>Remembers a token the handler has just accepted (every check passed, ours included).</summary>
    public void Remember(string token, ClaimsIdentity identity, SecurityKey key, DateTime validFrom, DateTime validTo)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(identity);
        ArgumentNullException.ThrowIfNull(key);
        _tokens.Add(token, new Validated(identity, key, validFrom, validTo));
    }

    /// <summary>The token of an <c>Authorization: Bearer …</c> header, read as the bearer handler reads it.</summary>
    internal static string? BearerToken(string? authorization)
    {
        if (authorization is null || !authorization.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var token = authorization[Scheme.Length..].Trim();
        return token.Length == 0 ? null : token;
    }

    /// <summary>Whether <paramref name="key"/> (the very object that verified the token) is trusted now.</summary>
    private static async ValueTask<bool> IsTrustedAsync(SecurityKey key, JwtBearerOptions options, CancellationToken cancellationToken)
    {
        var parameters = options.TokenValidationParameters;
        if (ReferenceEquals(parameters.IssuerSigningKey, key) || Holds(parameters.IssuerSigningKeys, key))
        {
            return true;
        }

        return options.ConfigurationManager is { } discovery && Holds((await discovery.GetConfigurationAsync(cancellationToken)).SigningKeys, key);
    }

    private static bool Holds(IEnumerable<SecurityKey>? keys, SecurityKey key)
    {
        foreach (var trusted in keys ?? [])
        {
            if (ReferenceEquals(trusted, key))
            {
                return true;
            }
        }

        return false;
    }

    private sealed record Validated(ClaimsIdentity Identity, SecurityKey Key, DateTime ValidFrom, DateTime ValidTo);
}
