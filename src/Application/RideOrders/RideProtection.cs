using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders;

/// <summary>A ride order's protection as callers see it. Phone numbers only masked.</summary>
public sealed record RideProtection(
    string OrderId,
    Guid BindingId,
    string Status,
    string? VirtualNumber,
    string PassengerPhone,
    string DriverPhone,
    string? City,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt)
{
    public static RideProtection From(Binding binding) => new(
        binding.Order.OrderId,
        binding.Id.Value,
        binding.Status.ToString().ToLowerInvariant(),
        binding.SecretNo,
        binding.PartyA.Masked,
        binding.PartyB?.Masked ?? string.Empty,
        binding.ExpectCity,
        binding.ExpiresAt,
        binding.CreatedAt,
        binding.UpdatedAt,
        binding.EndedAt);
}
