using System.Net;
using System.Security.Claims;
using System.Security.Cryptography;
using BindingService.Api.Infrastructure.Auth;
using BindingService.Integration.Tests.Support;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Integration.Tests;

/// <summary>
/// The cache of accepted tokens (<see cref="ValidatedTokens"/>, docs/security.md "Validated tokens"): a token accepted
/// once is taken again without validation only while it is in time and its key is still trusted; anything else goes
/// through the token handler (a miss is never an answer). The first tests drive the cache's step of the bearer handler
/// directly, with a clock of their own; the last ones go through the real service.
/// </summary>
[Collection(Support.ServiceCollection.Name)]
public sealed class ValidatedTokensTests(ServiceFixture fixture) : IAsyncLifetime
{
    private static readonly DateTime ValidFrom = new(2026, 12, 5, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime ValidTo = ValidFrom.AddHours(1);
    private static readonly TimeSpan Skew = TimeSpan.FromSeconds(30);

    private readonly ECDsaSecurityKey _key = NewKey("cache-1");
    private readonly SettableClock _clock = new(ValidFrom.AddMinutes(10));

    public Task InitializeAsync() => fixture.ResetAsync();

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task ARememberedToken_InTime_WithItsKeyTrusted_IsTakenWithItsIdentity()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);

        var context = await ReceiveAsync(tokens, "Bearer t1", Options(_key));

        Assert.True(context.Result?.Succeeded);
        Assert.Equal("caller-1", context.Result!.Principal!.FindFirst("sub")?.Value);
        Assert.Equal(ValidTo, context.Result.Properties!.ExpiresUtc);
        Assert.Equal(1, tokens.Hits);
    }

    [Theory]
    [InlineData("Bearer t2")] // never accepted
    [InlineData("Basic t1")] // not a bearer token
    [InlineData("Bearer ")]
    [InlineData(null)]
    public async Task AnythingNotRemembered_IsLeftToTheHandler(string? authorization)
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);

        var context = await ReceiveAsync(tokens, authorization, Options(_key));

        Assert.Null(context.Result);
        Assert.Equal(0, tokens.Hits);
    }

    [Fact]
    public async Task TheSchemeName_AndSpaces_AreReadAsTheHandlerReadsThem()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);

        Assert.True((await ReceiveAsync(tokens, "bearer  t1 ", Options(_key))).Result?.Succeeded);
    }

    [Theory]
    [InlineData(-31)] // before not-before, beyond the skew
    [InlineData(3601 + 30)] // after expiry, beyond the skew
    public async Task OutOfTime_ARememberedToken_IsValidatedAgain(int secondsFromValidFrom)
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);
        _clock.Now = ValidFrom.AddSeconds(secondsFromValidFrom);

        Assert.Null((await ReceiveAsync(tokens, "Bearer t1", Options(_key))).Result);
    }

    [Theory]
    [InlineData(-30)] // at not-before minus the skew
    [InlineData(3600 + 30)] // at expiry plus the skew
    public async Task WithinTheSkew_ARememberedToken_IsTaken(int secondsFromValidFrom)
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);
        _clock.Now = ValidFrom.AddSeconds(secondsFromValidFrom);

        Assert.True((await ReceiveAsync(tokens, "Bearer t1", Options(_key))).Result?.Succeeded);
    }

    [Fact]
    public async Task ATokenWithoutNotBefore_IsTaken_UntilItExpires()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, DateTime.MinValue, ValidTo); // what a token without nbf gives

        Assert.True((await ReceiveAsync(tokens, "Bearer t1", Options(_key))).Result?.Succeeded);
        Assert.Null((await ReceiveAsync(tokens, "Bearer t1", Options(_key))).Properties.IssuedUtc);

        _clock.Now = ValidTo + Skew + TimeSpan.FromSeconds(1);
        Assert.Null((await ReceiveAsync(tokens, "Bearer t1", Options(_key))).Result);
    }

    [Fact]
    public async Task OnceItsKeyIsNoLongerTrusted_ARememberedToken_IsValidatedAgain()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);

        // The same kid, another key object (a rotation; the old key withdrawn).
        Assert.Null((await ReceiveAsync(tokens, "Bearer t1", Options(NewKey("cache-1")))).Result);
    }

    [Fact]
    public async Task KeysFromDiscovery_AreTrusted_UntilTheKeySetChanges()
    {
        var tokens = new ValidatedTokens(_clock);
        tokens.Remember("t1", Identity("caller-1"), _key, ValidFrom, ValidTo);
        var discovery = new SettableConfiguration(_key);
        var options = Options();
        options.ConfigurationManager = discovery;

        Assert.True((await ReceiveAsync(tokens, "Bearer t1", options)).Result?.Succeeded);

        discovery.Keys = [NewKey("cache-2")];
        Assert.Null((await ReceiveAsync(tokens, "Bearer t1", options)).Result);
    }

    [Fact]
    public async Task AFullCache_StartsAgain_AndStaysCorrect()
    {
        var tokens = new ValidatedTokens(_clock, capacity: 2);
        foreach (var name in new[] { "t0", "t1", "t2" })
        {
            tokens.Remember(name, Identity(name), _key, ValidFrom, ValidTo);
        }

        Assert.Null((await ReceiveAsync(tokens, "Bearer t0", Options(_key))).Result); // dropped when it started again
        Assert.Equal("t2", (await ReceiveAsync(tokens, "Bearer t2", Options(_key))).Result?.Principal?.FindFirst("sub")?.Value);
    }

    [Fact]
    public async Task ThroughTheService_ARepeatedToken_IsValidatedOnce_AndItsScopesStillDecide()
    {
        var tokens = fixture.Factory.Services.GetRequiredService<ValidatedTokens>();
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For(caller: $"cache-{Guid.NewGuid():N}", scopes: "deliveries"));

        var before = tokens.Hits;
        for (var i = 0; i < 3; i++)
        {
            // A rides operation with a deliveries token: authorization runs on a remembered token as on a new one.
            using var response = await client.GetAsync($"/v1/ride-orders/r-{Guid.NewGuid():N}/protection");
            Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        }

        Assert.Equal(2, tokens.Hits - before); // the first request validated it, the next two were taken from the cache
    }

    [Fact]
    public async Task ThroughTheService_ARefusedToken_IsNeverRemembered()
    {
        var tokens = fixture.Factory.Services.GetRequiredService<ValidatedTokens>();
        using var client = fixture.Factory.CreateClient();
        client.DefaultRequestHeaders.Authorization = TestTokens.Bearer(TestTokens.For(key: TestTokens.UntrustedKey()));

        var before = tokens.Hits;
        for (var i = 0; i < 2; i++)
        {
            using var response = await client.GetAsync($"/v1/ride-orders/r-{Guid.NewGuid():N}/protection");
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        Assert.Equal(before, tokens.Hits);
    }

    private static async Task<MessageReceivedContext> ReceiveAsync(ValidatedTokens tokens, string? authorization, JwtBearerOptions options)
    {
        var http = new DefaultHttpContext();
        if (authorization is not null)
        {
            http.Request.Headers.Authorization = authorization;
        }

        var context = new MessageReceivedContext(http, new AuthenticationScheme(JwtBearerDefaults.AuthenticationScheme, null, typeof(JwtBearerHandler)), options);
        await tokens.OnMessageReceivedAsync(context);
        return context;
    }

    private static JwtBearerOptions Options(params SecurityKey[] trusted) => new()
    {
        TokenValidationParameters = new TokenValidationParameters { IssuerSigningKeys = trusted, ClockSkew = Skew },
    };

    private static ClaimsIdentity Identity(string caller) => new([new Claim("sub", caller)], "test");

    private static ECDsaSecurityKey NewKey(string kid) => new(ECDsa.Create(ECCurve.NamedCurves.nistP256)) { KeyId = kid };

    private sealed class SettableClock(DateTime now) : TimeProvider
    {
        public DateTime Now { get; set; } = now;

        public override DateTimeOffset GetUtcNow() => new(Now, TimeSpan.Zero);
    }

    /// <summary>A discovery document whose key set the test replaces (as a refresh after a rotation would).</summary>
    private sealed class SettableConfiguration(params SecurityKey[] keys) : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public SecurityKey[] Keys { get; set; } = keys;

        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            var configuration = new OpenIdConnectConfiguration();
            foreach (var key in Keys)
            {
                configuration.SigningKeys.Add(key);
            }

            return Task.FromResult(configuration);
        }

        public void RequestRefresh()
        {
        }
    }
}
