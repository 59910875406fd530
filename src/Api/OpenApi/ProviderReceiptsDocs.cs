namespace BindingService.Api.OpenApi;

/// <summary>The OpenAPI description of the receipt receiver (Endpoints/ProviderReceipts.cs).</summary>
internal static class ProviderReceiptsDocs
{
    public const string Tag = "Provider receipts";

    public static RouteHandlerBuilder Receive(RouteHandlerBuilder endpoint) => endpoint
        .WithSummary("Receive a batch of call receipts pushed by the provider")
        .WithDescription(
            "For the provider only (configure this URL, with ?token=<Receipts:Secret>, per message type in the provider's console). The body is a JSON " +
            "array of messages of the type named in the path (SecretStartReport, SecretRingReport, SecretPickUpReport, SecretReport, SecretRecording, " +
            "SecretAsrReport, SecretSmsIntercept, SecretExceptionPhoneReport). The batch is stored before the answer {\"code\":0,\"msg\":\"接收成功\"}; " +
            "duplicates are recognised; a body that cannot be read is kept aside and acknowledged. 401 for a wrong token, 403 for a refused source " +
            "address, 503 when the batch cannot be stored (the provider retries).")
        .Accepts<object[]>("application/json")
        .Produces<object>(StatusCodes.Status200OK, "application/json")
        .ProducesErrors(StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden, StatusCodes.Status413PayloadTooLarge, StatusCodes.Status503ServiceUnavailable)
        .WithRequestExample(new object[]
        {
            new
            {
                pool_key = "FC100000000000001", sub_id = "1000000000001", call_id = "5eed000000000001", phone_no = "13800138000", secret_no = "17100000001",
                peer_no = "13900139000", call_type = 0, call_time = "2026-11-23 10:00:00", start_time = "2026-11-23 10:00:05",
                release_time = "2026-11-23 10:00:35", release_dir = 1, release_cause = 16, unconnected_cause = 0, out_id = "01936f5e8b907c55a3d26e1f0b7c9d21",
            },
        })
        .WithResponseExample(StatusCodes.Status200OK, new { code = 0, msg = "接收成功" }, "Stored (or already stored).");
}
