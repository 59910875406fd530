using System.Globalization;
using System.Security.Claims;
using BindingService.Domain.Bindings;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// Authentication and authorization of callers (docs/security.md): a JWT bearer token on every request but the health
/// endpoints (the fallback policy), one policy per scope (<see cref="Scopes"/>), and problem responses for both refusals:
/// 401 <c>auth.unauthenticated</c> (no token, bad signature, expired, wrong issuer or audience, no valid caller claim)
/// and 403 <c>auth.scope_missing</c> naming the scope the operation needs.
/// </summary>
public static class CallerAuthentication
{
    /// <summary>The OAuth 2.0 scope claim: space-separated scopes in one string.</summary>
    public const string ScopeClaim = "scope";

    /// <summary>The scope claim as some issuers write it: one scope per value, or space-separated.</summary>
    public const string ScpClaim = "scp";

    public static WebApplicationBuilder AddCallerAuthentication(this WebApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<CallerAuthOptions>()
            .Bind(builder.Configuration.GetSection(CallerAuthOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.HasKeySource, "Authentication needs its signing keys: set Authentication:Authority (OIDC discovery), Authentication:SigningKeys or Authentication:SigningKeysFile (a JSON Web Key Set).")
            .Validate(o => !string.IsNullOrWhiteSpace(o.Issuer ?? o.Authority), "Authentication:Issuer (or Authentication:Authority) must name the expected token issuer.")
            .ValidateOnStart();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddSingleton(_ => new ValidatedTokens(TimeProvider.System)); // the validator's clock, not a test's
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme)
            .Configure<IOptions<CallerAuthOptions>, ValidatedTokens>((jwt, options, tokens) => Configure(jwt, options.Value, tokens));

        var authorization = builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build());
        foreach (var scope in Scopes.All)
        {
            authorization.AddPolicy(scope, policy => policy
                .AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme)
                .RequireAuthenticatedUser()
                .AddRequirements(new ScopeRequirement(scope)));
        }

        builder.Services.AddSingleton<IAuthorizationHandler, ScopeRequirementHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, ProblemAuthorizationResultHandler>();
        builder.Services.AddHttpContextAccessor();
        return builder;
    }

    /// <summary>Whether <paramref name="user"/>'s token grants <paramref name="scope"/>.</summary>
    public static bool HasScope(ClaimsPrincipal user, string scope)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.Claims
            .Where(c => c.Type is ScopeClaim or ScpClaim)
            .SelectMany(c => c.Value.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Contains(scope, StringComparer.Ordinal);
    }

    private static void Configure(JwtBearerOptions jwt, CallerAuthOptions options, ValidatedTokens tokens)
    {
        jwt.MapInboundClaims = false; // "sub" stays "sub", "scope" stays "scope"
        jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
        if (!string.IsNullOrWhiteSpace(options.Authority))
        {
            jwt.Authority = options.Authority;
        }

        var parameters = jwt.TokenValidationParameters;
        parameters.ValidateIssuer = true;
        parameters.ValidIssuer = options.Issuer ?? options.Authority;
        parameters.ValidateAudience = true;
        parameters.ValidAudience = options.Audience;
        parameters.ValidateLifetime = true;
        parameters.RequireExpirationTime = true;
        parameters.RequireSignedTokens = true;
        parameters.ValidateIssuerSigningKey = true;
        parameters.ClockSkew = options.ClockSkew;
        parameters.NameClaimType = options.CallerIdClaim;
        parameters.CryptoProviderFactory = new VerifiedSignatures(CryptoProviderFactory.Default); // a token's signature is verified once, not per request
        var keys = ConfiguredKeys(options);
        if (keys.Count > 0)
        {
            parameters.IssuerSigningKeys = keys;
        }

        jwt.Events = new JwtBearerEvents
        {
            OnMessageReceived = tokens.OnMessageReceivedAsync, // a token accepted before and still in time: not validated again
            OnTokenValidated = context =>
            {
                var caller = context.Principal?.FindFirst(options.CallerIdClaim)?.Value;
                if (!OrderKey.IsValidId(caller, OrderKey.MaxCallerIdLength))
                {
                    context.Fail($"The token's '{options.CallerIdClaim}' claim must name the caller: 1 to {OrderKey.MaxCallerIdLength} letters, digits, '-', '_', '.' or ':'.");
                }
                else if (context.SecurityToken is JsonWebToken { SigningKey: { } key } token && context.Principal?.Identity is ClaimsIdentity identity)
                {
                    tokens.Remember(token.EncodedToken, identity, key, token.ValidFrom, token.ValidTo);
                }

                return Task.CompletedTask;
            },
            OnChallenge = async context =>
            {
                context.HandleResponse();
                var detail = Reason(context.AuthenticateFailure, context.Request.Headers.Authorization.Count > 0);
                context.Response.Headers.WWWAuthenticate = context.AuthenticateFailure is null && context.Request.Headers.Authorization.Count == 0
                    ? "Bearer"
                    : "Bearer error=\"invalid_token\"";
                await ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "auth.unauthenticated", detail);
            },
        };
    }

    /// <summary>The keys configured inline or in a file (a JSON Web Key Set); none when discovery supplies them.</summary>
    internal static IList<SecurityKey> ConfiguredKeys(CallerAuthOptions options)
    {
        var json = !string.IsNullOrWhiteSpace(options.SigningKeys)
            ? options.SigningKeys
            : !string.IsNullOrWhiteSpace(options.SigningKeysFile) ? File.ReadAllText(options.SigningKeysFile) : null;
        if (json is null)
        {
            return [];
        }

        var keys = new JsonWebKeySet(json).GetSigningKeys();
        return keys.Count > 0
            ? keys
            : throw new InvalidOperationException("The configured JSON Web Key Set (Authentication:SigningKeys / SigningKeysFile) has no signing key.");
    }

    /// <summary>Why a request was refused, in words that help the caller and reveal nothing of ours.</summary>
    private static string Reason(Exception? failure, bool tokenSent) => failure switch
    {
        null when !tokenSent => "A bearer token is required (Authorization: Bearer <token>).",
        null => "The bearer token was refused.",
        SecurityTokenExpiredException => "The bearer token has expired.",
        SecurityTokenNotYetValidException => "The bearer token is not valid yet.",
        SecurityTokenInvalidAudienceException => "The bearer token is not meant for this service (audience).",
        SecurityTokenInvalidIssuerException => "The bearer token comes from an issuer this service does not trust.",
        SecurityTokenSignatureKeyNotFoundException or SecurityTokenInvalidSignatureException => "The bearer token's signature is not valid.",
        Microsoft.AspNetCore.Authentication.AuthenticationFailureException claim => claim.Message, // our own check (caller claim)
        _ => "The bearer token is malformed or was refused.",
    };
}

/// <summary>The operation needs this scope.</summary>
public sealed class ScopeRequirement(string scope) : IAuthorizationRequirement
{
    public string Scope { get; } = scope;
}

internal sealed class ScopeRequirementHandler : AuthorizationHandler<ScopeRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ScopeRequirement requirement)
    {
        if (CallerAuthentication.HasScope(context.User, requirement.Scope))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}

/// <summary>Writes 403 as a problem naming the missing scope; 401 goes through the bearer challenge (a problem too).</summary>
internal sealed class ProblemAuthorizationResultHandler : Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler
{
    private readonly Microsoft.AspNetCore.Authorization.Policy.AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, Microsoft.AspNetCore.Authorization.Policy.PolicyAuthorizationResult authorizeResult)
    {
        if (authorizeResult.Forbidden)
        {
            var missing = authorizeResult.AuthorizationFailure?.FailedRequirements.OfType<ScopeRequirement>().Select(r => r.Scope).ToArray() ?? [];
            var detail = missing.Length > 0
                ? string.Create(CultureInfo.InvariantCulture, $"This operation needs the scope '{string.Join("' and '", missing)}', which the token does not carry.")
                : "The token does not allow this operation.";
            await ProblemResponses.WriteAsync(context, StatusCodes.Status403Forbidden, "auth.scope_missing", detail,
                missing.Length > 0 ? new Dictionary<string, object?> { ["requiredScopes"] = missing } : null);
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
