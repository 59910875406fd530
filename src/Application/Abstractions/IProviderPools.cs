namespace BindingService.Application.Abstractions;

/// <summary>Which provider pool each kind of protection is bound in.</summary>
public interface IProviderPools
{
    string RidePoolKey { get; }
}
