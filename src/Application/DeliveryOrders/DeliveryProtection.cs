using System.Text.Json.Serialization;
using BindingService.Application.Bindings;
using BindingService.Application.DeliveryOrders.PickUpWaybills;
using BindingService.Domain.Bindings;

namespace BindingService.Application.DeliveryOrders;

/// <summary>
/// A delivery order's protection as callers see it. Phone numbers only masked. <see cref="DialString"/> is what the
/// caller prints on the waybill: X, then a comma (a pause) and the extension for AXN extension; X alone for AXB.
/// </summary>
public sealed record DeliveryProtection(
    string OrderId,
    Guid BindingId,
    string Product,
    string Status,
    string? VirtualNumber,
    string? Extension,
    string? DialString,
    string CustomerPhone,
    string CourierPhone,
    string? TrackingNumber,
    string? City,
    DateTimeOffset ExpiresAt,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    DateTimeOffset? EndedAt)
{
    /// <summary>The order's pickup waybill (the open one, else the latest), in the answer of a read only; absent when it has none.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public PickUpWaybillView? PickUpWaybill { get; init; }

    public static DeliveryProtection From(Binding binding) => new(
        binding.Order.OrderId,
        binding.Id.Value,
        DeliveryProducts.Name(binding.Product),
        WireNames.Status(binding.Status),
        binding.SecretNo,
        binding.Extension,
        DialStringOf(binding),
        binding.PartyA.Masked,
        binding.PartyB?.Masked ?? string.Empty,
        binding.TrackingNumber,
        binding.ExpectCity,
        binding.ExpiresAt,
        binding.CreatedAt,
        binding.UpdatedAt,
        binding.EndedAt);

    /// <summary>"X,extension" (a phone dials X, pauses, then the extension), or X alone; null before X is known.</summary>
    public static string? DialStringOf(Binding binding) =>
        binding.SecretNo is null ? null
        : string.IsNullOrEmpty(binding.Extension) ? binding.SecretNo
        : $"{binding.SecretNo},{binding.Extension}";
}

/// <summary>The products a delivery can be protected with, by their API names.</summary>
public static class DeliveryProducts
{
    public static readonly string AxnExtension = WireNames.Product(BindingProduct.AxnExtension);
    public static readonly string Axb = WireNames.Product(BindingProduct.Axb);

    public static string Name(BindingProduct product) => WireNames.Product(product);

    /// <summary>axnExtension (the default when null) or axb, case-insensitive.</summary>
    public static bool TryParse(string? name, out BindingProduct product)
    {
        if (name is null || string.Equals(name, AxnExtension, StringComparison.OrdinalIgnoreCase))
        {
            product = BindingProduct.AxnExtension;
            return true;
        }

        if (string.Equals(name, Axb, StringComparison.OrdinalIgnoreCase))
        {
            product = BindingProduct.Axb;
            return true;
        }

        product = default;
        return false;
    }
}
