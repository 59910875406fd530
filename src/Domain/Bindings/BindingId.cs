namespace BindingService.Domain.Bindings;

/// <summary>Our id for a binding. Sent to Aliyun as OutId, so receipts and reconciliation can find it.</summary>
public readonly record struct BindingId(Guid Value)
{
    public static BindingId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString("N");

    public static bool TryParse(string? s, out BindingId id)
    {
        if (Guid.TryParse(s, out var g))
        {
            id = new BindingId(g);
            return true;
        }

        id = default;
        return false;
    }
}
