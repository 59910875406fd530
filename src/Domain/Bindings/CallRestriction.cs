namespace BindingService.Domain.Bindings;

/// <summary>One-way call restriction on an AXB binding.</summary>
public enum CallRestriction
{
    None,

    /// <summary>A cannot call X (CONTROL_AX_DISABLE).</summary>
    PartyACannotCall,

    /// <summary>B cannot call X (CONTROL_BX_DISABLE).</summary>
    PartyBCannotCall,
}
