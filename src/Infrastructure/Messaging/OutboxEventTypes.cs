using BindingService.Contracts;

namespace BindingService.Infrastructure.Messaging;

/// <summary>The contract types an outbox row may hold, by the name stored in message_type. Listed explicitly.</summary>
internal static class OutboxEventTypes
{
    private static readonly Dictionary<string, Type> ByName = new[]
    {
        typeof(BindingCreated),
        typeof(BindingUpdated),
        typeof(BindingReleased),
        typeof(BindingExpired),
        typeof(BindingFailed),
        typeof(CallStarted),
        typeof(CallEnded),
        typeof(RecordingReady),
        typeof(TranscriptReady),
        typeof(CallToUnboundNumber),
        typeof(SmsIntercepted),
        typeof(VirtualNumberHealthChanged),
        typeof(PoolCapacityLow),
        typeof(PoolCapacityRestored),
        typeof(PickUpWaybillCreated),
        typeof(PickUpWaybillCancelled),
    }.ToDictionary(t => t.Name, StringComparer.Ordinal);

    /// <summary>Every event type the service publishes.</summary>
    public static IEnumerable<Type> All => ByName.Values;

    public static bool TryGet(string name, out Type type) => ByName.TryGetValue(name, out type!);
}
