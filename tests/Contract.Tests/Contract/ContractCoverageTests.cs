using System.Reflection;
using System.Runtime.CompilerServices;
using BindingService.AliyunSimulator.Actions;
using BindingService.Contract.Tests.Support;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.DependencyInjection;

namespace BindingService.Contract.Tests.Contract;

/// <summary>
/// Every action has its contract: the actions of the 'Actions' table in docs/provider-rules.md, the methods of our clients, the actions the
/// simulator serves and the actions with a success and an error contract test must be the same set. A new action on
/// either side without a contract test fails here.
/// </summary>
public sealed class ContractCoverageTests(ContractSimulator sim) : IClassFixture<ContractSimulator>
{
    /// <summary>docs/provider-rules.md, 'Actions': the 28 Dyplsapi actions and PhoneNumberEncrypt (Dytnsapi). QueryCallStatus is undocumented and modelled by neither side (B.18).</summary>
    private static readonly string[] DigestActions =
    [
        "BindAxb", "BindAxn", "BindAxnExtension", "BindAxg", "CreateAxgGroup", "OperateAxgGroup", "UpdateSubscription",
        "UnbindSubscription", "QuerySubscriptionDetail", "QuerySubsId", "QuerySecretNoDetail", "ConfirmSendSms",
        "QueryRecordFileDownloadUrl", "GetTotalPublicUrl", "GetSecretAsrDetail", "QuerySecretNoRemain", "BuySecretNo",
        "ReleaseSecretNo", "OperateBlackNo", "LockSecretNo", "UnlockSecretNo", "AddSecretBlacklist", "DeleteSecretBlacklist",
        "QueryPhoneNoAByTrackNo", "AddAxnTrackNo", "CreatePickUpWaybill", "CancelPickUpWaybill", "CreatePickUpWaybillPreQuery",
        "PhoneNumberEncrypt",
    ];

    [Fact]
    public void ClientMethods_AreTheDigestActions_EachNamedAfterItsRequestsWireName()
    {
        var methods = typeof(IDyplsapiClient).GetMethods().Concat(typeof(IDytnsapiClient).GetMethods()).ToList();

        foreach (var method in methods)
        {
            Assert.Equal(WireActionOf(method) + "Async", method.Name);
        }

        Assert.Equal(Sorted(DigestActions), Sorted(methods.Select(WireActionOf)));
        Assert.Equal(Sorted(DigestActions), Sorted(AliyunActions.All.Keys));
    }

    [Fact]
    public void TheSimulator_ServesExactlyTheDigestActions()
    {
        var served = sim.Simulator.Services.GetServices<IActionHandler>().Select(h => h.Action).ToList();

        Assert.Equal(served.Count, served.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(Sorted(DigestActions), Sorted(served));
    }

    [Fact]
    public void EveryAction_HasASuccessAndAnErrorContractTest()
    {
        var contracts = typeof(ContractCoverageTests).Assembly.GetTypes()
            .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
            .Where(m => m.GetCustomAttribute<FactAttribute>() is not null)
            .SelectMany(m => m.GetCustomAttributes<ContractAttribute>())
            .ToList();

        Assert.Equal(Sorted(DigestActions), Sorted(contracts.Where(c => c.Check == ContractCheck.Success).Select(c => c.Action).Distinct()));
        Assert.Equal(Sorted(DigestActions), Sorted(contracts.Where(c => c.Check == ContractCheck.Error).Select(c => c.Action).Distinct()));
    }

    /// <summary>The wire name the method's request sends (<c>PopRequest.Action</c>), read from an uninitialized request.</summary>
    private static string WireActionOf(MethodInfo method)
    {
        var requestType = method.GetParameters()[0].ParameterType;
        var request = RuntimeHelpers.GetUninitializedObject(requestType);
        return (string)requestType.GetProperty("Action")!.GetValue(request)!;
    }

    private static List<string> Sorted(IEnumerable<string> actions) => actions.Order(StringComparer.Ordinal).ToList();
}
