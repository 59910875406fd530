using BindingService.Application.Abstractions;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;

namespace BindingService.Application.Bindings;

/// <summary>Provider mode for every pool: the provider picks X by ExpectCity (the default until local selection is configured).</summary>
public sealed class ProviderChoosesNumbers : INumberSelector
{
    public Task<Result<string?>> ReserveAsync(Binding binding, CancellationToken cancellationToken) => Task.FromResult<Result<string?>>((string?)null);
}
