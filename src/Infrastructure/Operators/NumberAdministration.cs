using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Application.Operators;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Numbers;
using BindingService.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Operators;

/// <summary>
/// <see cref="INumberAdministration"/> on the Dyplsapi client (docs/provider-rules.md, "Number inventory"): the
/// provider is the truth of a number's existence and state; a pool in local selection mode mirrors it in
/// <c>pool_numbers</c> at once (through <see cref="NumberInventory"/>), so a bought number is selectable and a locked
/// or released one never chosen. Every change is audited after the provider made it.
/// </summary>
public sealed partial class NumberAdministration(
    IDyplsapiClient client,
    IPrivacyNumberProvider provider,
    NumberInventory inventory,
    OperatorAuditLog audit,
    BindingDbContext db,
    IOptionsMonitor<NumberSelectionOptions> selection,
    TimeProvider clock,
    ILogger<NumberAdministration> logger) : INumberAdministration
{
    /// <summary>The provider's code for a number it does not have in the pool (R-NUM-7).</summary>
    private const string NumberNotExist = "isv.NO_NOT_EXIST";

    private const int MaxCityLength = 32;

    /// <inheritdoc />
    public async Task<Result<AdminNumberView>> BuyAsync(string poolKey, BuyNumberOrder order, string callerId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(order);
        var specId = order.SpecId ?? SecretNoSpecs.VirtualOperator;
        var fields = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(order.City) || order.City.Length > MaxCityLength)
        {
            fields["city"] = [$"The home city of the number, 1 to {MaxCityLength} characters (全国通用 for 95 numbers)."];
        }

        if (specId is < 1 or > 3)
        {
            fields["specId"] = ["1 (170/171 numbers), 2 (carrier numbers) or 3 (95 numbers)."];
        }

        if (order.Prefix is { } prefix && (prefix.Length is 0 or > 18 || !prefix.All(char.IsAsciiDigit)))
        {
            fields["prefix"] = ["The start of the number wanted, 1 to 18 digits."];
        }

        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var bought = await client.BuySecretNoAsync(
            new BuySecretNoRequest { PoolKey = poolKey, City = order.City!, SpecId = specId, SecretNo = order.Prefix },
            cancellationToken);
        if (bought.Error is { } error)
        {
            return error.Kind == ProviderErrorKind.NoNumberAvailable && !error.OutcomeUnknown
                ? Error.Unprocessable("number.out_of_stock", $"No number of SpecId {specId}{(order.Prefix is null ? string.Empty : " with that prefix")} is on sale in {order.City}.")
                : ProviderErrors.ToError(error, poolKey, order.City);
        }

        var secretNo = bought.Value!.SecretBuyInfoDTO!.SecretNo!;
        await audit.WriteAsync(callerId, "number.buy", poolKey, secretNo, $"city={order.City} specId={specId}", CancellationToken.None);
        LogBought(logger, poolKey, specId, order.City!);
        if (IsLocal(poolKey))
        {
            await inventory.RegisterAsync(poolKey, [secretNo], CancellationToken.None);
        }

        var detail = await DetailAsync(poolKey, secretNo, CancellationToken.None);
        return detail.Value ?? new AdminNumberView(poolKey, secretNo, order.City, null, "unbound", IsLocal(poolKey) ? nameof(PoolNumberState.Available) : null, 0);
    }

    /// <inheritdoc />
    public async Task<Result<ReleasedNumber>> ReleaseAsync(string poolKey, string secretNo, string callerId, CancellationToken cancellationToken)
    {
        if (InvalidNumber(secretNo) is { } invalid)
        {
            return invalid;
        }

        var ours = await OpenBindingsAsync(poolKey, secretNo, cancellationToken);
        if (ours > 0)
        {
            return Bound(poolKey, secretNo, $"{ours} open binding(s) of ours");
        }

        var theirs = await provider.FindSubscriptionIdsAsync(poolKey, secretNo, cancellationToken);
        if (theirs.Error is { } lookupError)
        {
            return lookupError.Code == NumberNotExist ? await AlreadyReleasedOrNotFoundAsync(poolKey, secretNo, cancellationToken) : ProviderErrors.ToError(lookupError, poolKey, null);
        }

        if (theirs.Value!.Count > 0)
        {
            return Bound(poolKey, secretNo, $"{theirs.Value.Count} binding(s) at the provider");
        }

        var released = await client.ReleaseSecretNoAsync(new ReleaseSecretNoRequest { PoolKey = poolKey, SecretNo = secretNo }, cancellationToken);
        if (released.Error is { } error)
        {
            return error switch
            {
                { Code: NumberNotExist } => await AlreadyReleasedOrNotFoundAsync(poolKey, secretNo, cancellationToken),
                { Kind: ProviderErrorKind.Forbidden, OutcomeUnknown: false } => Bound(poolKey, secretNo, "bindings at the provider (expired ones too must be unbound first)"),
                _ => ProviderErrors.ToError(error, poolKey, null),
            };
        }

        // Gone at the provider: gone from our inventory too.
        await db.Database.ExecuteSqlAsync($"DELETE FROM party_last_numbers WHERE pool_key = {poolKey} AND secret_no = {secretNo}", CancellationToken.None);
        await db.Database.ExecuteSqlAsync($"DELETE FROM pool_numbers WHERE pool_key = {poolKey} AND secret_no = {secretNo}", CancellationToken.None);
        await audit.WriteAsync(callerId, "number.release", poolKey, secretNo, null, CancellationToken.None);
        LogReleased(logger, poolKey);
        return new ReleasedNumber(poolKey, secretNo, clock.GetUtcNow());
    }

    /// <inheritdoc />
    public async Task<Result<AdminNumberView>> SetLockedAsync(string poolKey, string secretNo, bool locked, string callerId, CancellationToken cancellationToken)
    {
        if (InvalidNumber(secretNo) is { } invalid)
        {
            return invalid;
        }

        var result = locked
            ? await client.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = poolKey, SecretNo = secretNo }, cancellationToken)
            : await client.UnlockSecretNoAsync(new UnlockSecretNoRequest { PoolKey = poolKey, SecretNo = secretNo }, cancellationToken);
        if (result.Error is { } error)
        {
            return error.Code == NumberNotExist ? NotFound(poolKey) : ProviderErrors.ToError(error, poolKey, null);
        }

        await audit.WriteAsync(callerId, locked ? "number.lock" : "number.unlock", poolKey, secretNo, null, CancellationToken.None);
        if (IsLocal(poolKey))
        {
            // The provider's state, as QuerySecretNoDetail now reports it, becomes the inventory's.
            await inventory.RegisterAsync(poolKey, [secretNo], CancellationToken.None);
        }

        return await DetailAsync(poolKey, secretNo, CancellationToken.None);
    }

    /// <inheritdoc />
    public async Task<Result<AdminNumberView>> DetailAsync(string poolKey, string secretNo, CancellationToken cancellationToken)
    {
        if (InvalidNumber(secretNo) is { } invalid)
        {
            return invalid;
        }

        var info = await provider.QuerySecretNumberAsync(poolKey, secretNo, cancellationToken);
        if (info.Error is { } error)
        {
            return error.Code == NumberNotExist ? NotFound(poolKey) : ProviderErrors.ToError(error, poolKey, null);
        }

        var state = await db.Set<PoolNumber>().AsNoTracking()
            .Where(n => n.PoolKey == poolKey && n.SecretNo == secretNo)
            .Select(n => (PoolNumberState?)n.State)
            .FirstOrDefaultAsync(cancellationToken);
        var open = await OpenBindingsAsync(poolKey, secretNo, cancellationToken);
        var status = info.Value!.Status switch
        {
            SecretNumberStatus.Unbound => "unbound",
            SecretNumberStatus.Bound => "bound",
            SecretNumberStatus.Locked => "locked",
            SecretNumberStatus.Frozen => "frozen",
            _ => "unknown",
        };
        return new AdminNumberView(poolKey, secretNo, info.Value.City, info.Value.Province, status, state?.ToString(), open);
    }

    /// <inheritdoc />
    public async Task<Result<NumberStock>> StockAsync(string? city, long? specId, string? prefix, CancellationToken cancellationToken)
    {
        var spec = specId ?? SecretNoSpecs.VirtualOperator;
        var fields = new Dictionary<string, string[]>();
        if (string.IsNullOrWhiteSpace(city) || city.Length > MaxCityLength)
        {
            fields["city"] = ["A city, 全国 (the nationwide total), 全国列表 (per city) or 全国通用 (95 numbers)."];
        }

        if (spec is < 1 or > 3)
        {
            fields["specId"] = ["1 (170/171 numbers), 2 (carrier numbers) or 3 (95 numbers)."];
        }

        if (prefix is { } p && (p.Length is 0 or > 18 || !p.All(char.IsAsciiDigit)))
        {
            fields["prefix"] = ["1 to 18 digits."];
        }

        if (fields.Count > 0)
        {
            return Error.Validation(fields);
        }

        var remain = await client.QuerySecretNoRemainAsync(new QuerySecretNoRemainRequest { City = city!, SpecId = spec, SecretNo = prefix }, cancellationToken);
        if (remain.Error is { } error)
        {
            return ProviderErrors.ToError(error, string.Empty, city);
        }

        var dto = remain.Value!.SecretRemainDTO!;
        var cities = (dto.RemainDTOList ?? [])
            .Where(r => !string.IsNullOrEmpty(r.City))
            .Select(r => new CityStock(r.City!, r.Amount ?? 0))
            .ToList();
        return new NumberStock(city!, spec, dto.Amount ?? cities.Sum(c => c.Amount), cities);
    }

    private bool IsLocal(string poolKey) => selection.CurrentValue.Local(poolKey) is not null;

    private Task<int> OpenBindingsAsync(string poolKey, string secretNo, CancellationToken cancellationToken) =>
        db.Bindings.AsNoTracking()
            .CountAsync(b => b.PoolKey == poolKey && b.SecretNo == secretNo && (b.Status == BindingStatus.Pending || b.Status == BindingStatus.Active), cancellationToken);

    /// <summary>A number the provider no longer has: a repeat of our own release is answered like the first, anything else is 404.</summary>
    private async Task<Result<ReleasedNumber>> AlreadyReleasedOrNotFoundAsync(string poolKey, string secretNo, CancellationToken cancellationToken) =>
        await audit.LastActionIsAsync(poolKey, secretNo, "number.release", cancellationToken)
            ? new ReleasedNumber(poolKey, secretNo, clock.GetUtcNow())
            : NotFound(poolKey);

    private static Error NotFound(string poolKey) =>
        Error.NotFound("number.not_found", $"The provider has no such number in pool {poolKey}.");

    private static Error Bound(string poolKey, string secretNo, string what) =>
        Error.Conflict("number.bound", $"Number {secretNo} of pool {poolKey} still carries {what}: release or let them end before releasing the number. Nothing was unbound.");

    private static Error? InvalidNumber(string secretNo) =>
        NumberSelectionOptionsValidator.IsSecretNo(secretNo)
            ? null
            : Error.Validation(new Dictionary<string, string[]> { ["secretNo"] = ["The complete virtual number, 5 to 20 digits."] });

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator bought a number of SpecId {SpecId} in {City} into pool {PoolKey}")]
    private static partial void LogBought(ILogger logger, string poolKey, long specId, string city);

    [LoggerMessage(Level = LogLevel.Information, Message = "Operator released a number of pool {PoolKey}")]
    private static partial void LogReleased(ILogger logger, string poolKey);
}
