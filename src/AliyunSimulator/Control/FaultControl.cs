namespace BindingService.AliyunSimulator.Control;

/// <summary>Test-only control endpoints for throttling and fault injection at run time.</summary>
public static class FaultControl
{
    public static RouteGroupBuilder MapFaultControl(this RouteGroupBuilder group) => group;
}
