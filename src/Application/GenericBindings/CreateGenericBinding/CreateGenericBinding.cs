using BindingService.Application.Abstractions;
using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using BindingService.Domain.Groups;
using Microsoft.Extensions.Options;

namespace BindingService.Application.GenericBindings.CreateGenericBinding;

/// <summary>
/// Create a binding of any product for a business line other than ride and delivery. The natural key is
/// (caller, Generic, orderId): repeating the request returns the same binding.
/// </summary>
public sealed record CreateGenericBinding(
    string CallerId,
    string? Product,
    string? OrderId,
    string? PartyA,
    string? PartyB,
    string? PoolKey,
    string? City,
    DateTimeOffset? ExpiresAt,
    string? Extension,
    string? GroupId,
    bool? Recording,
    string? CallRestriction);

/// <summary>The binding, and whether this request created it (201) or found it (200).</summary>
public sealed record CreateGenericBindingOutcome(GenericBindingView Binding, bool Created);

public sealed class CreateGenericBindingHandler(
    BindingLifecycle lifecycle,
    IAxgGroupRepository groups,
    IOptions<ProtectionOptions> options,
    IProviderPools pools,
    TimeProvider clock)
{
    public async Task<Result<CreateGenericBindingOutcome>> HandleAsync(CreateGenericBinding request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.GetUtcNow();
        var settings = options.Value;
        var invalid = CreateGenericBindingValidator.Validate(request, now, settings);
        if (invalid is not null)
        {
            return invalid;
        }

        WireNames.TryParseProduct(request.Product, out var product);
        WireNames.TryParseCallRestriction(request.CallRestriction ?? "none", out var restriction);
        var poolKey = request.PoolKey;
        if (poolKey is not null && !pools.Allows(request.CallerId, poolKey))
        {
            return GenericBindingErrors.PoolNotAllowed;
        }

        AxgGroup? group = null;
        if (product == BindingProduct.Axg)
        {
            AxgGroupId.TryParse(request.GroupId, out var groupId);
            group = await groups.FindAsync(request.CallerId, groupId, cancellationToken);
            if (group is null)
            {
                return GenericBindingErrors.GroupNotFound;
            }

            if (poolKey is not null && poolKey != group.PoolKey)
            {
                return GenericBindingErrors.GroupInOtherPool;
            }

            if (group.MemberCount == 0)
            {
                return GenericBindingErrors.GroupEmpty;
            }

            poolKey = group.PoolKey;
        }

        var result = await lifecycle.CreateAsync(
            new CreateBindingRequest(
                new OrderKey(request.CallerId, BusinessLine.Generic, request.OrderId!),
                product,
                poolKey ?? pools.PoolFor(product),
                PhoneNumber.Parse(request.PartyA),
                request.PartyB is null ? null : PhoneNumber.Parse(request.PartyB),
                new BindingSettings
                {
                    ExpectCity = request.City,
                    Extension = request.Extension,
                    GroupId = group?.ProviderGroupId,
                    RecordingEnabled = request.Recording ?? false,
                    CallRestriction = restriction,
                },
                request.ExpiresAt?.ToUniversalTime() ?? now + settings.DefaultTtl),
            cancellationToken);
        if (result.Error is { } error)
        {
            return error;
        }

        var binding = result.Value!.Binding;
        var shownGroup = group is not null && binding.GroupId == group.ProviderGroupId && binding.PoolKey == group.PoolKey
            ? group
            : binding.GroupId is { } other ? await groups.FindByProviderIdAsync(binding.PoolKey, other, cancellationToken) : null;
        return new CreateGenericBindingOutcome(GenericBindingView.From(binding, shownGroup), result.Value.Created);
    }
}
