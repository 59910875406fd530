using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.Tests;

/// <summary>
/// The provider error rule (<see cref="ProviderErrors"/>; docs/api.md, "Errors"): every <see cref="ProviderErrorKind"/>
/// becomes one stable code of ours, with the kind that decides the HTTP status and, for a 503, the Retry-After a caller
/// is told to wait; an unknown outcome is always <c>provider.outcome_unknown</c>; no provider code or text reaches a
/// caller. The table is checked value by value, and checked to name every kind, so a new kind cannot slip through
/// unmapped.
/// </summary>
public sealed class ErrorRuleTests
{
    /// <summary>Something only the provider says: it must never appear in what we tell a caller.</summary>
    private const string ProviderCode = "isv.PROVIDER_ONLY_CODE";

    /// <summary>kind → (our kind, our code, Retry-After in seconds or none).</summary>
    public static TheoryData<ProviderErrorKind, ErrorKind, string, int?> Table() => new()
    {
        { ProviderErrorKind.InvalidRequest, ErrorKind.Unprocessable, "provider.request_rejected", null },
        { ProviderErrorKind.PhoneNumberIllegal, ErrorKind.Unprocessable, "phone.rejected", null },
        { ProviderErrorKind.ExpiryIllegal, ErrorKind.Unprocessable, "expiry.rejected", null },
        { ProviderErrorKind.NoNumberAvailable, ErrorKind.Unavailable, "pool.exhausted", 30 },
        { ProviderErrorKind.BindConflict, ErrorKind.Conflict, "binding.conflict", null },
        { ProviderErrorKind.SubscriptionNotFound, ErrorKind.Conflict, "binding.gone", null },
        { ProviderErrorKind.Forbidden, ErrorKind.Unprocessable, "provider.forbidden", null },
        { ProviderErrorKind.Throttled, ErrorKind.Unavailable, "provider.throttled", 1 },
        { ProviderErrorKind.Unavailable, ErrorKind.Unavailable, "provider.unavailable", 5 },
        { ProviderErrorKind.AuthenticationFailed, ErrorKind.Unavailable, "provider.misconfigured", 60 },
        { ProviderErrorKind.Unknown, ErrorKind.Unavailable, "provider.unavailable", 5 },
        { ProviderErrorKind.PoolNotFound, ErrorKind.Unavailable, "provider.pool_misconfigured", 60 },
    };

    public static TheoryData<ProviderErrorKind> EveryKind()
    {
        var kinds = new TheoryData<ProviderErrorKind>();
        foreach (var kind in Enum.GetValues<ProviderErrorKind>())
        {
            kinds.Add(kind);
        }

        return kinds;
    }

    [Theory]
    [MemberData(nameof(Table))]
    public void EachProviderErrorKind_BecomesItsCode_ItsStatusKind_AndItsRetryAfter(ProviderErrorKind kind, ErrorKind expectedKind, string expectedCode, int? retryAfterSeconds)
    {
        var error = ProviderErrors.ToError(new ProviderError(kind, ProviderCode), "FC1", null);

        Assert.Equal(expectedCode, error.Code);
        Assert.Equal(expectedKind, error.Kind);
        Assert.Equal(retryAfterSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : null, error.RetryAfter);
        Assert.False(string.IsNullOrWhiteSpace(error.Detail));
        Assert.DoesNotContain(ProviderCode, error.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain(ProviderCode, error.Code, StringComparison.Ordinal);
    }

    [Fact]
    public void TheTable_NamesEveryProviderErrorKind_Once()
    {
        var listed = Table().Select(row => (ProviderErrorKind)row[0]).ToList();

        Assert.Equal(listed.Count, listed.Distinct().Count());
        Assert.Equal(Enum.GetValues<ProviderErrorKind>().Order(), listed.Order());
    }

    [Theory]
    [MemberData(nameof(EveryKind))]
    public void AnUnknownOutcome_OfAnyKind_IsProviderOutcomeUnknown_503_RetryAfter5_AndNotDefinitive(ProviderErrorKind kind)
    {
        var unknown = new ProviderError(kind, ProviderCode, OutcomeUnknown: true);

        var error = ProviderErrors.ToError(unknown, "FC1", null);

        Assert.Equal(("provider.outcome_unknown", ErrorKind.Unavailable), (error.Code, error.Kind));
        Assert.Equal(TimeSpan.FromSeconds(5), error.RetryAfter);
        Assert.DoesNotContain(ProviderCode, error.Detail, StringComparison.Ordinal);
        Assert.False(ProviderErrors.IsDefinitive(unknown));
    }

    [Fact]
    public void ThePoolExhaustedError_NamesThePoolAndTheCity_ThePoolErrorNamesThePool()
    {
        var exhausted = ProviderErrors.ToError(new ProviderError(ProviderErrorKind.NoNumberAvailable, ProviderCode), "FC7", "杭州");
        var exhaustedAnyCity = ProviderErrors.ToError(new ProviderError(ProviderErrorKind.NoNumberAvailable, ProviderCode), "FC7", null);
        var unknownPool = ProviderErrors.ToError(new ProviderError(ProviderErrorKind.PoolNotFound, ProviderCode), "FC7", null);

        Assert.Contains("FC7", exhausted.Detail, StringComparison.Ordinal);
        Assert.Contains("杭州", exhausted.Detail, StringComparison.Ordinal);
        Assert.Contains("FC7", exhaustedAnyCity.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("city", exhaustedAnyCity.Detail, StringComparison.Ordinal);
        Assert.Contains("FC7", unknownPool.Detail, StringComparison.Ordinal);
    }
}
