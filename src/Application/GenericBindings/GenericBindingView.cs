using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Groups;

namespace BindingService.Application.GenericBindings;

/// <summary>A generic binding as callers see it. Parties only masked.</summary>
/// <param name="GroupId">AXG: our id of its G group (null when the provider group is not one of ours).</param>
public sealed record GenericBindingView(
    Guid BindingId,
    string OrderId,
    string Product,
    string Status,
    string PoolKey,
    string? VirtualNumber,
    string? Extension,
    string PartyA,
    string? PartyB,
    Guid? GroupId,
    string? City,
    bool Recording,
    string CallRestriction,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt,
    string? FailureReason)
{
    public static GenericBindingView From(Binding binding, AxgGroup? group) => new(
        binding.Id.Value,
        binding.OrderId,
        WireNames.Product(binding.Product),
        WireNames.Status(binding.Status),
        binding.PoolKey,
        binding.SecretNo,
        binding.Extension,
        binding.PartyA.Masked,
        binding.PartyB?.Masked,
        group?.Id.Value,
        binding.ExpectCity,
        binding.RecordingEnabled,
        WireNames.CallRestriction(binding.CallRestriction),
        binding.ExpiresAt,
        binding.CreatedAt,
        binding.UpdatedAt,
        binding.EndedAt,
        binding.FailureReason);
}

/// <summary>Reads the view of a binding, resolving an AXG binding's provider group to ours.</summary>
public sealed class GenericBindingViews(IAxgGroupRepository groups)
{
    public async Task<GenericBindingView> ViewAsync(Binding binding, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var group = binding.GroupId is { } providerGroupId
            ? await groups.FindByProviderIdAsync(binding.PoolKey, providerGroupId, cancellationToken)
            : null;
        return GenericBindingView.From(binding, group);
    }

    /// <summary>The view of a lifecycle result, or its error.</summary>
    public async Task<Result<GenericBindingView>> ViewAsync(Result<Binding> result, CancellationToken cancellationToken) =>
        result.Error is { } error ? error : await ViewAsync(result.Value!, cancellationToken);
}
