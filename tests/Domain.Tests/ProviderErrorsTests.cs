using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Domain.Tests;

/// <summary>
/// Which provider failures settle a bind at once (Failed, a retry starts afresh) and which leave it Pending for the
/// reconciler (docs/operations.md, 'Reconciler': only an unknown outcome may have created a provider binding).
/// </summary>
public sealed class ProviderErrorsTests
{
    [Theory]
    [InlineData(ProviderErrorKind.Throttled)]
    [InlineData(ProviderErrorKind.Unavailable)]
    [InlineData(ProviderErrorKind.NoNumberAvailable)]
    [InlineData(ProviderErrorKind.BindConflict)]
    [InlineData(ProviderErrorKind.AuthenticationFailed)]
    [InlineData(ProviderErrorKind.PoolNotFound)]
    [InlineData(ProviderErrorKind.Unknown)]
    public void AnAnswerThatSaysTheBindDidNotHappen_IsDefinitive(ProviderErrorKind kind) =>
        Assert.True(ProviderErrors.IsDefinitive(new ProviderError(kind, "code")));

    [Theory]
    [InlineData(ProviderErrorKind.Unavailable)]
    [InlineData(ProviderErrorKind.Unknown)]
    public void AnUnknownOutcome_IsNotDefinitive_AndTellsTheCallerToRetryTheSameRequest(ProviderErrorKind kind)
    {
        var error = new ProviderError(kind, "Client.Timeout", OutcomeUnknown: true);

        Assert.False(ProviderErrors.IsDefinitive(error));
        Assert.Equal("provider.outcome_unknown", ProviderErrors.ToError(error, "FC1", null).Code);
    }

    [Fact]
    public void AnUnknownPool_IsA503PoolMisconfigured_NamingThePool_NotACredentialsFault()
    {
        // docs/provider-rules.md R-ERR-1: ProductUnsubscribe, PoolKeyNotFound and isv.POOLKEY_NOT_EXISTS all mean the pool does not exist.
        var error = ProviderErrors.ToError(new ProviderError(ProviderErrorKind.PoolNotFound, "ProductUnsubscribe"), "FC1", null);

        Assert.Equal((ErrorKind.Unavailable, "provider.pool_misconfigured"), (error.Kind, error.Code));
        Assert.Contains("FC1", error.Detail, StringComparison.Ordinal);
        Assert.NotNull(error.RetryAfter);
    }
}
