using BindingService.Application.Bindings;
using BindingService.Application.Common;

namespace BindingService.Application.RideOrders.SetRideRecording;

/// <summary>Turn call recording of a ride order's protection on or off (UpdateSubscription updateIsRecordingEnabled).</summary>
public sealed record SetRideRecording(string CallerId, string OrderId, bool? Enabled);

public sealed class SetRideRecordingHandler(BindingLifecycle lifecycle)
{
    public async Task<Result<RideProtection>> HandleAsync(SetRideRecording request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Enabled is not { } enabled)
        {
            return RideOrders.Invalid("enabled", "Required: true to record the calls from now on, false to stop.");
        }

        return await RideOrders.ChangeAsync(lifecycle, request.CallerId, request.OrderId, LifecycleChange.Recording(enabled), cancellationToken);
    }
}
