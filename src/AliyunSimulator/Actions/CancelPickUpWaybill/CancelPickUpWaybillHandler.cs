using BindingService.AliyunSimulator.Actions.AddAxnTrackNo;
using BindingService.AliyunSimulator.Diagnostics;
using BindingService.AliyunSimulator.Responses;
using BindingService.AliyunSimulator.State;

namespace BindingService.AliyunSimulator.Actions.CancelPickUpWaybill;

/// <summary>
/// CancelPickUpWaybill (docs/provider-rules.md R-LOG-3): cancels the order with that <c>OuterOrderCode</c>. Always
/// <c>Code=OK, Message=请求成功</c> (R-FMT-3); the outcome is in <c>Data</c>: <c>Success: true, Message: 取消成功</c>,
/// or <c>Success: false</c> with <c>ErrorCode</c> [sim] <c>isv.ORDER_NOT_EXIST</c> (unknown order) or
/// <c>isv.ORDER_ALREADY_CANCELLED</c>.
/// </summary>
public sealed class CancelPickUpWaybillHandler(SimulatorStore store, ChinaClock clock, ILogger<CancelPickUpWaybillHandler> logger) : IActionHandler
{
    public const string OrderNotExistCode = "isv.ORDER_NOT_EXIST";
    public const string OrderAlreadyCancelledCode = "isv.ORDER_ALREADY_CANCELLED";

    public string Action => "CancelPickUpWaybill";

    public IReadOnlyList<string> RequiredParameters { get; } = ["OuterOrderCode", "CancelDesc"];

    public ActionResult Handle(ActionRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var now = clock.UtcNow;
        var outerOrderCode = request.Required("OuterOrderCode");
        var cancelDesc = request.Required("CancelDesc");
        var error = store.Transact(state =>
        {
            switch (state.FindPickUpOrder(outerOrderCode))
            {
                case null:
                    return new BusinessError(OrderNotExistCode, "No pickup order has this OuterOrderCode.");
                case { IsCancelled: true }:
                    return new BusinessError(OrderAlreadyCancelledCode, "The pickup order is already cancelled.");
                case var order:
                    state.Put(order with { CancelDesc = cancelDesc, CancelledAt = now });
                    return null;
            }
        });

        SimulatorLog.PickUpOrder(logger, PhoneMask.MaskDigitRuns(outerOrderCode), error is null ? "cancelled" : "not cancelled", error?.Code ?? "OK", request.RequestId);
        var data = error is null
            ? new ResponseBody { { "Success", true }, { "ErrorCode", PickUpWaybills.None }, { "Message", "取消成功" }, { "ErrorMsg", PickUpWaybills.None } }
            : new ResponseBody { { "Success", false }, { "ErrorCode", error.Code }, { "Message", "取消失败" }, { "ErrorMsg", error.Message } };
        return ActionResult.Ok(AddAxnTrackNoHandler.RequestSucceeded, new ResponseBody { { "Data", data } });
    }
}
