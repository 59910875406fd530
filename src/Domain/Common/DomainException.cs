namespace BindingService.Domain.Common;

/// <summary>A broken domain rule: an illegal transition or an invalid value. Messages never carry phone numbers.</summary>
public sealed class DomainException(string code, string message) : Exception(message)
{
    public string Code { get; } = code;
}
