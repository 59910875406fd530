using BindingService.Application.Bindings;
using BindingService.Domain.Bindings;

namespace BindingService.Application.RideOrders;

/// <summary>A ride order's protection as callers see it. Phone numbers only masked.</summary>
/// <param name="RecordingEnabled">Whether the provider records the calls.</param>
/// <param name="CallRestriction">none, passengerCannotCall or driverCannotCall.</param>
/// <param name="CompletedAt">When the trip was completed; the protection then lives until <paramref name="ExpiresAt"/> (the grace period).</param>
/// <param name="FailureReason">Our error code when the protection failed.</param>
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
    DateTimeOffset? EndedAt,
    bool RecordingEnabled,
    string CallRestriction,
    DateTimeOffset? CompletedAt,
    string? FailureReason)
{
    public static RideProtection From(Binding binding) => new(
        binding.Order.OrderId,
        binding.Id.Value,
        WireNames.Status(binding.Status),
        binding.SecretNo,
        binding.PartyA.Masked,
        binding.PartyB?.Masked ?? string.Empty,
        binding.ExpectCity,
        binding.ExpiresAt,
        binding.CreatedAt,
        binding.UpdatedAt,
        binding.EndedAt,
        binding.RecordingEnabled,
        RideCallRestrictions.Name(binding.CallRestriction),
        binding.CompletedAt,
        binding.FailureReason);
}
