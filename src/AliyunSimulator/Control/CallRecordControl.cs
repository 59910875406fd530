namespace BindingService.AliyunSimulator.Control;

/// <summary>Test-only control endpoints that seed what no API creates: call records, recordings, ASR results, intercepted SMS.</summary>
public static class CallRecordControl
{
    public static RouteGroupBuilder MapCallRecordControl(this RouteGroupBuilder group) => group;
}
