using Xunit.Abstractions;

[assembly: CollectionBehavior(DisableTestParallelization = true)]
[assembly: TestCollectionOrderer("BindingService.Integration.Tests.Support.PrivacyScanLastOrderer", "BindingService.Integration.Tests")]

namespace BindingService.Integration.Tests.Support;

/// <summary>
/// Runs the privacy scan's collection after every other, so it reads the service log of the whole
/// run (<see cref="ServiceFixture.RunLogPath"/>) with every phone number the tests used.
/// </summary>
public sealed class PrivacyScanLastOrderer : ITestCollectionOrderer
{
    public IEnumerable<ITestCollection> OrderTestCollections(IEnumerable<ITestCollection> testCollections) =>
        testCollections.OrderBy(c => c.DisplayName.Contains(PrivacyScanCollection.Name, StringComparison.Ordinal) ? 1 : 0)
            .ThenBy(c => c.DisplayName, StringComparer.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class PrivacyScanCollection : ICollectionFixture<ServiceFixture>
{
    public const string Name = "privacy-scan";
}
