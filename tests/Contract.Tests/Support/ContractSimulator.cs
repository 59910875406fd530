using BindingService.AliyunSimulator.State;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Contract.Tests.Support;

/// <summary>
/// One simulator per test class (an xunit class fixture) and our real clients pointed at it. Tests of a class share
/// its state, so each one uses its own phone numbers (<see cref="TestPhones"/>) and asserts nothing that another test
/// of the class could change.
/// </summary>
public sealed class ContractSimulator : IAsyncLifetime
{
    private ProviderClient? provider;
    private SimulatorProcess? simulator;

    public SimulatorProcess Simulator => simulator ?? throw new InvalidOperationException("The fixture is not initialized.");

    public ProviderClient Provider => provider ?? throw new InvalidOperationException("The fixture is not initialized.");

    public IDyplsapiClient Dyplsapi => Provider.Dyplsapi;

    public IDytnsapiClient Dytnsapi => Provider.Dytnsapi;

    public SimulatorControl Control { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        simulator = await SimulatorProcess.StartAsync();
        provider = ProviderClient.For(simulator);
        Control = new SimulatorControl(simulator.Control);
    }

    public async Task DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        if (simulator is not null)
        {
            await simulator.DisposeAsync();
        }
    }

    /// <summary>Reads the simulator's state directly, for what the control API does not show (blacklists).</summary>
    public T State<T>(Func<SimulatorState, T> read) => Simulator.Services.GetRequiredService<SimulatorStore>().Transact(read);

    /// <summary>An AXB binding of two fresh numbers in the default pool (docs/provider-rules.md R-BIND-1), expiring in two hours.</summary>
    public async Task<(string SubsId, string SecretNo, string PhoneNoA, string PhoneNoB)> BindAxbAsync(
        string? phoneNoX = null, bool? recording = null, bool? asr = null)
    {
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        var bound = ProviderAssert.Succeeds(await Dyplsapi.BindAxbAsync(
            new BindAxbRequest
            {
                PoolKey = SimulatorProcess.AxbPool,
                PhoneNoA = a,
                PhoneNoB = b,
                PhoneNoX = phoneNoX,
                Expiration = ChinaTimes.InHours(2),
                IsRecordingEnabled = recording,
                ASRStatus = asr,
            },
            CancellationToken.None));
        return (bound.SecretBindDTO!.SubsId!, bound.SecretBindDTO.SecretNo!, a, b);
    }

    /// <summary>Fails unless <paramref name="secretNo"/> is one of the pool's numbers, as <c>GET /_sim/numbers</c> lists them.</summary>
    public async Task AssertInPoolAsync(string poolKey, string? secretNo)
    {
        var numbers = await Control.NumbersAsync();
        PhoneAssert.IsMobile(secretNo);
        Assert.True(
            numbers.Any(n => n.PoolKey == poolKey && n.SecretNo == secretNo),
            $"{PhoneAssert.Mask(secretNo)} is not a number of pool {poolKey}.");
    }
}
