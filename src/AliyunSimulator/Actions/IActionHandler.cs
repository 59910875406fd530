namespace BindingService.AliyunSimulator.Actions;

/// <summary>
/// One Dyplsapi action. The gateway has already authenticated the request and checked that every parameter in
/// <see cref="RequiredParameters"/> is present and non-blank (<c>Missing{Name}</c> otherwise); the handler
/// validates the values and applies the business rules. Register an implementation in
/// <see cref="SimulatorServiceCollectionExtensions"/> and the gateway routes <c>Action={Action}</c> to it.
/// </summary>
public interface IActionHandler
{
    /// <summary>The wire name, matched case-sensitively (<c>BindAxb</c>, not <c>bindAxb</c>).</summary>
    string Action { get; }

    /// <summary>Business parameters without which the gateway answers <c>Missing{Name}</c> (400), in this order.</summary>
    IReadOnlyList<string> RequiredParameters { get; }

    /// <summary>The product API version the action belongs to: Dyplsapi's <c>2017-05-25</c> unless the action says otherwise (Dytnsapi's PhoneNumberEncrypt is <c>2020-02-17</c>).</summary>
    string Version => Gateway.PopGateway.ApiVersion;

    ActionResult Handle(ActionRequest request);
}
