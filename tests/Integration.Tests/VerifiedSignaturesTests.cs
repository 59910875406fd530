using System.Security.Claims;
using System.Security.Cryptography;
using BindingService.Api.Infrastructure.Auth;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Integration.Tests;

/// <summary>
/// The memo of verified token signatures (<see cref="VerifiedSignatures"/>, docs/security.md "Verified signatures"),
/// driven through the real token handler: a repeated token is not verified again, and nothing else is skipped — a
/// tampered token, a key no longer trusted, a wrong audience and an expired token are refused after the memo holds the
/// original.
/// </summary>
public sealed class VerifiedSignaturesTests
{
    private const string Issuer = "https://issuer.memo.tests.invalid";
    private const string Audience = "bindingservice";

    private readonly ECDsaSecurityKey _key = NewKey("memo-1");
    private readonly CountingFactory _counting = new();

    [Fact]
    public async Task ARepeatedToken_IsVerifiedOnce_AndAcceptedEachTime()
    {
        var memo = new VerifiedSignatures(_counting);
        var token = Token(_key);

        for (var i = 0; i < 5; i++)
        {
            var result = await ValidateAsync(token, memo, _key);
            Assert.True(result.IsValid, result.Exception?.Message);
            Assert.Equal("caller-1", result.ClaimsIdentity.FindFirst("sub")?.Value);
        }

        Assert.Equal(1, _counting.Verifications);
    }

    [Fact]
    public async Task ATamperedPayload_WithTheSignatureOfAVerifiedToken_IsRefused()
    {
        var memo = new VerifiedSignatures(_counting);
        var token = Token(_key);
        Assert.True((await ValidateAsync(token, memo, _key)).IsValid);

        var parts = token.Split('.');
        var forged = $"{parts[0]}.{Token(_key, caller: "someone-else").Split('.')[1]}.{parts[2]}";
        var result = await ValidateAsync(forged, memo, _key);

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Fact]
    public async Task AForgedSignature_IsVerifiedAndRefused_EveryTime()
    {
        var memo = new VerifiedSignatures(_counting);
        var forged = Token(NewKey("memo-1")); // same kid, another key

        for (var i = 1; i <= 3; i++)
        {
            var before = _counting.Verifications;
            Assert.False((await ValidateAsync(forged, memo, _key)).IsValid);
            Assert.True(_counting.Verifications > before, $"attempt {i} was not verified"); // failures are not remembered
        }
    }

    [Fact]
    public async Task AVerifiedToken_IsRefused_OnceItsKeyIsNoLongerTrusted()
    {
        var memo = new VerifiedSignatures(_counting);
        var token = Token(_key);
        Assert.True((await ValidateAsync(token, memo, _key)).IsValid);

        // The trusted set now holds another key under the same kid (a rotation; the old key withdrawn).
        var result = await ValidateAsync(token, memo, NewKey("memo-1"));

        Assert.False(result.IsValid);
        Assert.IsType<SecurityTokenInvalidSignatureException>(result.Exception);
    }

    [Fact]
    public async Task TheOtherChecks_StillRun_ForARememberedSignature()
    {
        var memo = new VerifiedSignatures(_counting);
        var expired = Token(_key, notBefore: DateTime.UtcNow.AddHours(-2), expires: DateTime.UtcNow.AddHours(-1));
        var current = Token(_key);
        Assert.True((await ValidateAsync(current, memo, _key)).IsValid);

        var wrongAudience = await ValidateAsync(current, memo, _key, audience: "another-service");
        Assert.False(wrongAudience.IsValid);
        Assert.IsType<SecurityTokenInvalidAudienceException>(wrongAudience.Exception);

        // The expired token's signature is valid: remembered or not, its lifetime refuses it each time.
        for (var i = 0; i < 2; i++)
        {
            var result = await ValidateAsync(expired, memo, _key);
            Assert.False(result.IsValid);
            Assert.IsType<SecurityTokenExpiredException>(result.Exception);
        }
    }

    [Fact]
    public async Task AFullMemo_StartsAgain_AndStaysCorrect()
    {
        var memo = new VerifiedSignatures(_counting, capacity: 2);
        var tokens = Enumerable.Range(0, 3).Select(i => Token(_key, caller: $"caller-{i}")).ToArray();

        foreach (var token in tokens)
        {
            Assert.True((await ValidateAsync(token, memo, _key)).IsValid);
        }

        Assert.Equal(3, _counting.Verifications);
        Assert.True((await ValidateAsync(tokens[2], memo, _key)).IsValid); // added after the memo started again
        Assert.Equal(3, _counting.Verifications);
        Assert.True((await ValidateAsync(tokens[0], memo, _key)).IsValid); // dropped when it started again
        Assert.Equal(4, _counting.Verifications);
    }

    private static Task<TokenValidationResult> ValidateAsync(string token, CryptoProviderFactory factory, SecurityKey trusted, string audience = Audience) =>
        new JsonWebTokenHandler { MapInboundClaims = false }.ValidateTokenAsync(token, new TokenValidationParameters
        {
            ValidIssuer = Issuer,
            ValidAudience = audience,
            IssuerSigningKeys = [trusted],
            RequireSignedTokens = true,
            RequireExpirationTime = true,
            ValidateIssuerSigningKey = true,
            ClockSkew = TimeSpan.Zero,
            CryptoProviderFactory = factory,
        });

    private static string Token(SecurityKey key, string caller = "caller-1", DateTime? notBefore = null, DateTime? expires = null) =>
        new JsonWebTokenHandler { SetDefaultTimesOnTokenCreation = false }.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim("sub", caller)]),
            NotBefore = notBefore ?? DateTime.UtcNow.AddMinutes(-1),
            Expires = expires ?? DateTime.UtcNow.AddHours(1),
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.EcdsaSha256),
        });

    private static ECDsaSecurityKey NewKey(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    /// <summary>The default factory, counting the signature checks it is asked to make.</summary>
    private sealed class CountingFactory : CryptoProviderFactory
    {
        private int _verifications;

        public int Verifications => _verifications;

        public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm) =>
            new Counting(Default.CreateForVerifying(key, algorithm), this);

        public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm, bool cacheProvider) =>
            new Counting(Default.CreateForVerifying(key, algorithm, cacheProvider), this);

        public override void ReleaseSignatureProvider(SignatureProvider signatureProvider) =>
            Default.ReleaseSignatureProvider(((Counting)signatureProvider).Inner);

        private sealed class Counting(SignatureProvider inner, CountingFactory owner) : SignatureProvider(inner.Key, inner.Algorithm)
        {
            public SignatureProvider Inner => inner;

            public override bool Verify(byte[] input, byte[] signature)
            {
                Interlocked.Increment(ref owner._verifications);
                return inner.Verify(input, signature);
            }

            public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength)
            {
                Interlocked.Increment(ref owner._verifications);
                return inner.Verify(input, inputOffset, inputLength, signature, signatureOffset, signatureLength);
            }

            public override byte[] Sign(byte[] input) => throw new NotSupportedException();

            protected override void Dispose(bool disposing)
            {
            }
        }
    }
}
