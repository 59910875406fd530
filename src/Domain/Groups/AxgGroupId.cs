namespace BindingService.Domain.Groups;

/// <summary>Our id for a G group (the provider's GroupId is <see cref="AxgGroup.ProviderGroupId"/>).</summary>
public readonly record struct AxgGroupId(Guid Value)
{
    public static AxgGroupId New() => new(Guid.CreateVersion7());

    public override string ToString() => Value.ToString("N");

    public static bool TryParse(string? s, out AxgGroupId id)
    {
        if (Guid.TryParse(s, out var g))
        {
            id = new AxgGroupId(g);
            return true;
        }

        id = default;
        return false;
    }
}
