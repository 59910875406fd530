using BindingService.Infrastructure.Aliyun;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using BindingService.PopSignature;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Tests.Aliyun;

/// <summary>PhoneNumberEncrypt (docs/provider-rules.md, 'Actions'): Dytnsapi's own version, endpoint and credentials (docs/provider-rules.md, 'Endpoint and version').</summary>
public sealed class DytnsapiClientTests
{
    private static readonly Uri DytnsapiEndpoint = new("https://dytnsapi.test/");

    private static AliyunTestHost Host(bool ownCredentials) => AliyunTestHost.Create(s =>
    {
        s["Aliyun:Dytnsapi:Endpoint"] = DytnsapiEndpoint.ToString();
        if (ownCredentials)
        {
            s["Aliyun:Dytnsapi:AccessKeyId"] = "dytns-key-id";
            s["Aliyun:Dytnsapi:AccessKeySecret"] = "dytns-key-secret";
        }
    });

    private static PhoneNumberEncryptRequest Request => new() { AuthCode = "QASDW@#*1", InputNumber = "13900001111", OutId = "213e367117422635749191493eea68" };

    [Fact]
    public async Task PhoneNumberEncrypt_PostsToTheDytnsapiEndpoint_WithItsVersionAndItsOwnKey()
    {
        using var host = Host(ownCredentials: true);
        host.Stub.ThenJson(DocumentedBodies.PhoneNumberEncrypt);

        var result = await host.Dytnsapi.PhoneNumberEncryptAsync(Request, default);

        Assert.True(result.IsSuccess);
        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(HttpMethod.Post, sent.Method);
        Assert.Equal(DytnsapiEndpoint, sent.Uri);
        Assert.Equal("PhoneNumberEncrypt", sent["Action"]);
        Assert.Equal("2020-02-17", sent["Version"]);
        Assert.Equal("dytns-key-id", sent["AccessKeyId"]);
        Assert.True(PopSigner.Verify("POST", sent.WithoutSignature, "dytns-key-secret", sent["Signature"]));
        Assert.False(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
        Assert.Equal("QASDW@#*1", sent["AuthCode"]);
        Assert.Contains("AuthCode=QASDW%40%23%2A1", sent.Body, StringComparison.Ordinal);
        Assert.Equal("13900001111", sent["InputNumber"]);
        Assert.Equal("NORMAL", sent["Mask"]);
        Assert.Equal("213e367117422635749191493eea68", sent["OutId"]);
    }

    [Fact]
    public async Task PhoneNumberEncrypt_SignsWithTheDyplsapiKey_WhenDytnsapiHasNoneOfItsOwn()
    {
        using var host = Host(ownCredentials: false);
        host.Stub.ThenJson(DocumentedBodies.PhoneNumberEncrypt);

        await host.Dytnsapi.PhoneNumberEncryptAsync(Request, default);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(AliyunTestHost.AccessKeyId, sent["AccessKeyId"]);
        Assert.True(PopSigner.Verify("POST", sent.WithoutSignature, AliyunTestHost.AccessKeySecret, sent["Signature"]));
    }

    [Fact]
    public async Task Dyplsapi_KeepsItsOwnEndpointVersionAndKey_BesideDytnsapi()
    {
        using var host = Host(ownCredentials: true);
        host.Stub.ThenJson(DocumentedBodies.Ok);

        await host.Dyplsapi.LockSecretNoAsync(new LockSecretNoRequest { PoolKey = "FC1", SecretNo = "17000000000" }, default);

        var sent = Assert.Single(host.Stub.Requests);
        Assert.Equal(AliyunTestHost.Endpoint, sent.Uri);
        Assert.Equal("2017-05-25", sent["Version"]);
        Assert.Equal(AliyunTestHost.AccessKeyId, sent["AccessKeyId"]);
    }

    [Theory]
    [InlineData(DocumentedBodies.PhoneNumberEncrypt)]
    [InlineData("""{"RequestId":"R","Code":"OK","Data":{"OriginalNumber":13900001111,"EncryptedNumber":14005130001,"ExpireTime":"2022-05-27 16:05:23","OutId":"215044c917374256269257695e9d22"}}""")]
    public async Task PhoneNumberEncrypt_ReadsTheEncryptedNumber_FromAnArrayOrASingleObject(string body)
    {
        using var host = Host(ownCredentials: true);
        host.Stub.ThenJson(body);

        var result = await host.Dytnsapi.PhoneNumberEncryptAsync(Request, default);

        var data = Assert.Single(result.Value!.Data!);
        Assert.StartsWith("140", data.EncryptedNumber, StringComparison.Ordinal);
        Assert.Equal("2022-05-27 16:05:23", data.ExpireTime);
        Assert.Equal("215044c917374256269257695e9d22", data.OutId);
    }

    [Theory]
    [InlineData("AuthCodeIllegal", Application.Abstractions.ProviderErrorKind.AuthenticationFailed)]
    [InlineData("System.LimitControl", Application.Abstractions.ProviderErrorKind.Throttled)]
    [InlineData("Ram.PermissionDeny", Application.Abstractions.ProviderErrorKind.AuthenticationFailed)]
    [InlineData("InvalidParameter", Application.Abstractions.ProviderErrorKind.InvalidRequest)]
    public async Task PhoneNumberEncrypt_MapsItsDocumentedErrors(string code, Application.Abstractions.ProviderErrorKind kind)
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson(Samples.GatewayError(code), System.Net.HttpStatusCode.BadRequest);

        var result = await host.Dytnsapi.PhoneNumberEncryptAsync(Request, default);

        Assert.Equal(new Application.Abstractions.ProviderError(kind, code), result.Error);
    }

    [Fact]
    public async Task PhoneNumberEncrypt_OkWithoutAnEncryptedNumber_IsMalformed()
    {
        using var host = AliyunTestHost.WithoutRetries();
        host.Stub.ThenJson("""{"RequestId":"R","Code":"OK","Data":[]}""");

        var result = await host.Dytnsapi.PhoneNumberEncryptAsync(Request, default);

        Assert.Equal("Client.MalformedResponse", result.Error!.Code);
    }
}

/// <summary>The new Aliyun settings: Dytnsapi and per-action overrides, validated on start.</summary>
public sealed class AliyunActionOptionsTests
{
    private static ServiceProvider Build(Dictionary<string, string?> extra)
    {
        var settings = new Dictionary<string, string?> { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" };
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAliyunPrivacyNumberProvider(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    [Fact]
    public void Defaults_PointDytnsapiAtItsEndpoint_AndOverrideNoAction()
    {
        using var services = Build([]);

        var options = services.GetRequiredService<IOptions<AliyunOptions>>().Value;
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(new Uri("https://dytnsapi.aliyuncs.com/"), options.Dytnsapi.Endpoint);
        Assert.Empty(options.Actions);
        Assert.Equal(options.RequestTimeout, options.AttemptTimeoutFor("BindAxb"));
        Assert.NotNull(services.GetRequiredService<IDyplsapiClient>());
        Assert.NotNull(services.GetRequiredService<IDytnsapiClient>());
    }

    [Fact]
    public void ActionSettings_AreBound()
    {
        using var services = Build(new() { ["Aliyun:Actions:BindAxb:Timeout"] = "00:00:02", ["Aliyun:Actions:BindAxb:Qps"] = "50", ["Aliyun:Actions:BindAxb:QueueLimit"] = "7" });

        var options = services.GetRequiredService<IOptions<AliyunOptions>>().Value;
        services.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(TimeSpan.FromSeconds(2), options.AttemptTimeoutFor("BindAxb"));
        Assert.Equal(50, options.QpsFor("BindAxb"));
        Assert.Equal(7, options.QueueLimitFor("BindAxb", 50));
    }

    [Theory]
    [InlineData("Aliyun:Actions:BindAXB:Qps", "10", "Aliyun:Actions:BindAXB")]
    [InlineData("Aliyun:Actions:BindAxb:Qps", "-1", "Aliyun:Actions:BindAxb:Qps")]
    [InlineData("Aliyun:Actions:BindAxb:QueueLimit", "-1", "Aliyun:Actions:BindAxb:QueueLimit")]
    [InlineData("Aliyun:Actions:BindAxb:Timeout", "00:05:00", "Aliyun:Actions:BindAxb:Timeout")]
    [InlineData("Aliyun:Dytnsapi:Endpoint", "/relative", "Aliyun:Dytnsapi:Endpoint")]
    public void StartupValidation_Fails_OnABadSetting(string key, string value, string named)
    {
        using var services = Build(new() { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(() => services.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheShippedAppSettings_BindAndValidate_OnceCredentialsAndAPoolAreSupplied()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "src", "Api", "appsettings.json")))
        {
            directory = directory.Parent;
        }

        Assert.NotNull(directory);
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(directory.FullName, "src", "Api", "appsettings.json"))
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Aliyun:AccessKeyId"] = "id", ["Aliyun:AccessKeySecret"] = "secret", ["Aliyun:PoolKey"] = "FC1" })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddAliyunPrivacyNumberProvider(configuration);
        using var provider = services.BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();
        var options = provider.GetRequiredService<IOptions<AliyunOptions>>().Value;
        Assert.Equal(new Uri("https://dytnsapi.aliyuncs.com/"), options.Dytnsapi.Endpoint);
        Assert.Equal(TimeSpan.FromSeconds(15), options.Resilience.TotalTimeout);
        Assert.Equal(("id", "secret"), options.CredentialsFor(AliyunProduct.Dytnsapi));
    }
}
