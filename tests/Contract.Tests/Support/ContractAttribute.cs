namespace BindingService.Contract.Tests.Support;

/// <summary>What a contract test proves about its action.</summary>
public enum ContractCheck
{
    /// <summary>A success, its documented shape as our client parses it, and its effect.</summary>
    Success,

    /// <summary>A documented error for an invalid value or state, with its code and the kind our client maps it to.</summary>
    Error,
}

/// <summary>
/// Marks a test as the contract of <see cref="Action"/> (its wire name). <c>ContractCoverageTests</c> requires a
/// <see cref="ContractCheck.Success"/> and an <see cref="ContractCheck.Error"/> test for every action our clients and
/// the simulator know.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class ContractAttribute(string action, ContractCheck check) : Attribute
{
    public string Action { get; } = action;

    public ContractCheck Check { get; } = check;
}
