using BindingService.Domain.Common;

namespace BindingService.Domain.Bindings;

/// <summary>Who asked, for which business line, about which of their orders.</summary>
public sealed record OrderKey
{
    public const int MaxOrderIdLength = 64;
    public const int MaxCallerIdLength = 64;

    public OrderKey(string callerId, BusinessLine businessLine, string orderId)
    {
        if (!IsValidId(callerId, MaxCallerIdLength))
        {
            throw new DomainException("caller.invalid", "The caller id is missing or malformed.");
        }

        if (!IsValidId(orderId, MaxOrderIdLength))
        {
            throw new DomainException("order.invalid", "The order id must be 1 to 64 characters of letters, digits, '-', '_', '.' or ':'.");
        }

        CallerId = callerId;
        BusinessLine = businessLine;
        OrderId = orderId;
    }

    public string CallerId { get; }

    public BusinessLine BusinessLine { get; }

    public string OrderId { get; }

    public static bool IsValidId(string? id, int maxLength) =>
        !string.IsNullOrEmpty(id) && id.Length <= maxLength && id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}

public enum BusinessLine
{
    Ride,
    Delivery,
    Generic,
}
