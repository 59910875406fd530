using System.Text.RegularExpressions;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.BindAxnExtension;

/// <summary>
/// BindAxnExtension (docs/provider-rules.md, 'Actions', 'Creating bindings'): creates an AXN-extension binding. One X carries many bindings, each
/// reached by X plus its 1–3 digit extension; (X, Extension) is unique among the bindings in effect (R-BIND-6).
/// An <c>Extension</c> must come with its <c>PhoneNoX</c> (else <c>MissingPhoneNoX</c>); without one, the lowest
/// free extension of the chosen X is allocated (B.19) and returned in <c>SecretBindDTO.Extension</c>.
/// </summary>
public sealed partial class BindAxnExtensionHandler(SimulatorStore store, ChinaClock clock, ILogger<BindAxnExtensionHandler> logger) : IActionHandler
{
    public string Action => "BindAxnExtension";

    public IReadOnlyList<string> RequiredParameters { get; } = ["PoolKey", "PhoneNoA", "Expiration"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var extension = request.Optional("Extension");
        if (extension is not null)
        {
            if (!ExtensionPattern().IsMatch(extension))
            {
                return BusinessError.InvalidParameters("Extension must be 1 to 3 digits.");
            }

            // "Extension and PhoneNoX must be given together": a conditionally required parameter (R-UPD-4).
            if (request.Optional("PhoneNoX") is null)
            {
                return ActionResult.Missing("PhoneNoX");
            }
        }

        if (BindParameters.TryRead(request, clock, now, out var p) is { } invalid)
        {
            return invalid;
        }

        var outcome = store.Transact<(BusinessError? Error, Binding? Binding)>(state =>
        {
            if (p.TryFindPool(state, Products.AxnExtension, Action, out var pool) is { } noPool)
            {
                return (noPool, null);
            }

            if (XNumberSelector.TrySelect(state, pool, p.PhoneNoX, p.ExpectCity, now, XSharing.Extension(extension), out var x) is { } refused)
            {
                return (refused, null);
            }

            // The sharing rule has checked that the given extension is free, or that X has a free one to allocate.
            var allocated = extension ?? XSharing.FreeExtension(state.ActiveBindingsOn(x.SecretNo, now))!;
            var binding = p.NewBinding(state, Products.AxnExtension, x, now, extension: allocated);
            state.Add(binding);
            return (null, binding);
        });

        return BindParameters.Answer(outcome, logger, request);
    }

    [GeneratedRegex("^[0-9]{1,3}$", RegexOptions.CultureInvariant)]
    private static partial Regex ExtensionPattern();
}
