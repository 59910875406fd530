using System.Diagnostics.Metrics;

namespace BindingService.Infrastructure.Receipts;

/// <summary>Receipt counters (meter "BindingService.Receipts"): received, poison, duplicates, processed, processing failures.</summary>
internal static class ReceiptMetrics
{
    public const string MeterName = "BindingService.Receipts";

    private static readonly Meter Meter = new(MeterName);

    public static readonly Counter<long> Received = Meter.CreateCounter<long>("bindingservice.receipts.received", description: "Receipt messages pushed to the receiver.");

    public static readonly Counter<long> Poison = Meter.CreateCounter<long>("bindingservice.receipts.poison", description: "Pushed bodies or messages that could not be read (stored, acknowledged).");

    public static readonly Counter<long> Duplicates = Meter.CreateCounter<long>("bindingservice.receipts.duplicates", description: "Pushed messages already in the inbox.");

    public static readonly Counter<long> Processed = Meter.CreateCounter<long>("bindingservice.receipts.processed", description: "Inbox rows processed.");

    public static readonly Counter<long> Failures = Meter.CreateCounter<long>("bindingservice.receipts.failures", description: "Processing batches that failed (retried).");
}
