namespace BindingService.Domain.Common;

/// <summary>Something that happened to an aggregate, recorded by the aggregate itself.</summary>
public interface IDomainEvent
{
    DateTimeOffset OccurredAt { get; }
}
