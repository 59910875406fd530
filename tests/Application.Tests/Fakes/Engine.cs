using BindingService.Application.Bindings;
using BindingService.Application.Common;
using BindingService.Domain.Bindings;
using BindingService.Domain.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BindingService.Application.Tests.Fakes;

/// <summary>A <see cref="BindingLifecycle"/> over in-memory fakes, and a few bindings to start from.</summary>
public sealed class Engine
{
    public static readonly PhoneNumber A = PhoneNumber.Parse("13800138000");
    public static readonly PhoneNumber B = PhoneNumber.Parse("13900139000");
    public static readonly PhoneNumber C = PhoneNumber.Parse("13700137000");

    public Engine()
    {
        Lifecycle = new BindingLifecycle(Bindings, Provider, new ProviderChoosesNumbers(), Microsoft.Extensions.Options.Options.Create(Options), Clock, NullLogger<BindingLifecycle>.Instance);
    }

    public TestClock Clock { get; } = new();

    public InMemoryBindings Bindings { get; } = new();

    public FakeProvider Provider { get; } = new();

    public ProtectionOptions Options { get; } = new() { PendingWaitTimeout = TimeSpan.FromSeconds(10), CommitTimeout = TimeSpan.FromSeconds(30) };

    public BindingLifecycle Lifecycle { get; }

    public static OrderKey Order(string id = "ride-1", BusinessLine line = BusinessLine.Ride) => new("caller-1", line, id);

    public static BindingTarget Target(string id = "ride-1", BusinessLine line = BusinessLine.Ride) => BindingTarget.Order(Order(id, line));

    public CreateBindingRequest Protect(string id = "ride-1", PhoneNumber? partyB = null, BusinessLine line = BusinessLine.Ride) =>
        new(Order(id, line), BindingProduct.Axb, "FC1", A, partyB ?? B, new BindingSettings(), Clock.GetUtcNow().AddHours(2));

    /// <summary>A committed Active binding of the order, expiring in <paramref name="expiresIn"/> (2 h by default).</summary>
    public Binding SeedActive(string id = "ride-1", TimeSpan? expiresIn = null, BusinessLine line = BusinessLine.Ride)
    {
        var now = Clock.GetUtcNow();
        var binding = Binding.Request(Order(id, line), BindingProduct.Axb, "FC1", A, B, new BindingSettings(), now + (expiresIn ?? TimeSpan.FromHours(2)), now - TimeSpan.FromMinutes(1));
        binding.Activate("S-seed", "17000000009", now - TimeSpan.FromMinutes(1));
        return Bindings.Seed(binding);
    }

    /// <summary>A committed Pending binding of the order (another request is binding it).</summary>
    public Binding SeedPending(string id = "ride-1")
    {
        var now = Clock.GetUtcNow();
        return Bindings.Seed(Binding.Request(Order(id), BindingProduct.Axb, "FC1", A, B, new BindingSettings(), now.AddHours(2), now));
    }

    /// <summary>Makes a seeded binding due: the clock passes its expiry.</summary>
    public void PassExpiry(Binding binding) => Clock.Advance(binding.ExpiresAt - Clock.GetUtcNow() + TimeSpan.FromSeconds(1));
}
