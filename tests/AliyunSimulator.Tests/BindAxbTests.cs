using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using BindingService.AliyunSimulator.Tests.Support;

namespace BindingService.AliyunSimulator.Tests;

/// <summary>BindAxb: response shape, X selection (R-BIND-4, R-BIND-6), and the business errors (docs/provider-rules.md, 'Creating bindings', A.2).</summary>
public sealed class BindAxbTests
{
    private static readonly string[] DefaultPool = [.. Enumerable.Range(1, 20).Select(i => $"170000000{i:D2}")];

    /// <summary>Settings for a pool of <paramref name="numbers"/> given as "secretNo:city".</summary>
    private static string[] Pool(bool strict, params string[] numbers) =>
    [
        "Pools:0:PoolKey=" + RunningSimulator.PoolKey,
        "Pools:0:StrictCityMatch=" + (strict ? "true" : "false"),
        .. numbers.SelectMany((n, i) => new[] { $"Pools:0:Numbers:{i}:SecretNo={n.Split(':')[0]}", $"Pools:0:Numbers:{i}:City={n.Split(':')[1]}" }),
    ];

    [Fact]
    public async Task BindAxb_Succeeds_WithSecretBindDtoHoldingA16DigitSubsIdAndAPoolNumber()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("application/json", response.ContentType);
        Assert.Equal("OK", response.Code);
        Assert.Equal("OK", response.Message);
        var dto = response.Field("SecretBindDTO");
        Assert.Matches("^[0-9]{16}$", dto.GetProperty("SubsId").GetString());
        Assert.Equal(JsonValueKind.String, dto.GetProperty("SecretNo").ValueKind);
        Assert.Contains(dto.GetProperty("SecretNo").GetString(), DefaultPool);
        Assert.False(dto.TryGetProperty("Extension", out var extension) && extension.GetString() is { Length: > 0 }, "AXB has no extension");
    }

    [Fact]
    public async Task BindAxb_GivesEveryBindingItsOwnSubsId()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var ids = new List<string>();
        for (var i = 0; i < 10; i++)
        {
            ids.Add((await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next())).SubsId);
        }

        Assert.Equal(10, ids.Distinct().Count());
    }

    [Theory]
    [InlineData("北京")]
    [InlineData("上海")]
    [InlineData("杭州")]
    public async Task ExpectCity_IsHonoured_WhenThePoolHasANumberThere(string city)
    {
        await using var sim = await RunningSimulator.StartAsync();
        var cities = (await sim.Http.GetFromJsonAsync<JsonElement>("/_sim/numbers"))
            .EnumerateArray().ToDictionary(n => n.GetProperty("secretNo").GetString()!, n => n.GetProperty("city").GetString());

        for (var i = 0; i < 6; i++)
        {
            var (_, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("ExpectCity", city));
            Assert.Equal(city, cities[x]);
        }
    }

    [Fact]
    public async Task ExpectCity_WithoutANumberThere_FallsBackToAnotherCity()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: false, "17000000001:北京", "17000000002:上海"));

        var (_, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("ExpectCity", "广州"));

        Assert.Contains(x, new[] { "17000000001", "17000000002" });
    }

    [Fact]
    public async Task ExpectCity_WhenItsNumbersAreTaken_FallsBackToAnotherCity()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: false, "17000000001:北京", "17000000002:上海"));
        var a = TestPhones.Next();
        Assert.Equal("17000000001", (await sim.BindOkAsync(a, TestPhones.Next(), ("ExpectCity", "北京"))).SecretNo);

        var (_, x) = await sim.BindOkAsync(a, TestPhones.Next(), ("ExpectCity", "北京"));

        Assert.Equal("17000000002", x);
    }

    [Fact]
    public async Task StrictCityPool_WithoutANumberInExpectCity_FailsWith_NoAvailableNumber()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: true, "17000000001:北京", "17000000002:上海"));

        var response = await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("ExpectCity", "杭州"));
        var withoutCity = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", response.Code);
        Assert.Equal("OK", withoutCity.Code);
    }

    [Fact]
    public async Task ExplicitPhoneNoX_IsUsed()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var (_, x) = await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000013"));

        Assert.Equal("17000000013", x);
    }

    [Theory]
    [InlineData("17000000099")]
    [InlineData("17100000001")]
    public async Task ExplicitPhoneNoX_NotInThePool_FailsWith_ForbiddenAction(string phoneNoX)
    {
        await using var sim = await RunningSimulator.StartAsync(
            "Pools:0:PoolKey=" + RunningSimulator.PoolKey, "Pools:0:Numbers:0:SecretNo=17000000001", "Pools:0:Numbers:0:City=北京",
            "Pools:1:PoolKey=FC-OTHER", "Pools:1:Numbers:0:SecretNo=17100000001", "Pools:1:Numbers:0:City=北京");

        var response = await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", phoneNoX));

        Assert.Equal("isv.FORBIDDEN_ACTION", response.Code);
        Assert.Empty(await sim.BindingsAsync());
    }

    [Fact]
    public async Task ExplicitPhoneNoX_OnWhichAIsAlreadyBound_FailsWith_BindConflict()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var a = TestPhones.Next();
        await sim.BindOkAsync(a, TestPhones.Next(), ("PhoneNoX", "17000000005"));

        var sameA = await sim.BindAsync(a, TestPhones.Next(), ("PhoneNoX", "17000000005"));

        Assert.Equal(HttpStatusCode.OK, sameA.Status);
        Assert.Equal("isv.BIND_CONFLICT", sameA.Code);
        Assert.False(sameA.Json.TryGetProperty("SecretBindDTO", out _));
        Assert.Single(await sim.BindingsAsync());
    }

    [Fact]
    public async Task ExplicitPhoneNoX_WhereBIsAlreadyAParty_EvenOnTheOtherSide_FailsWith_BindConflict()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        await sim.BindOkAsync(a, b, ("PhoneNoX", "17000000005"));

        var reversed = await sim.BindAsync(TestPhones.Next(), a, ("PhoneNoX", "17000000005"));

        Assert.Equal("isv.BIND_CONFLICT", reversed.Code);
    }

    [Fact]
    public async Task BindConflict_HttpStatus_IsConfigurablePerCode()
    {
        await using var sim = await RunningSimulator.StartAsync("BusinessErrorHttpStatus:isv.BIND_CONFLICT=409");
        var a = TestPhones.Next();
        await sim.BindOkAsync(a, TestPhones.Next(), ("PhoneNoX", "17000000005"));

        var conflict = await sim.BindAsync(a, TestPhones.Next(), ("PhoneNoX", "17000000005"));

        Assert.Equal(HttpStatusCode.Conflict, conflict.Status);
        Assert.Equal("isv.BIND_CONFLICT", conflict.Code);
    }

    [Fact]
    public async Task AutomaticSelection_SkipsNumbersOnWhichAOrBIsAlreadyBound()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: false, "17000000001:北京", "17000000002:北京", "17000000003:北京"));
        var (a, b) = (TestPhones.Next(), TestPhones.Next());

        var first = (await sim.BindOkAsync(a, TestPhones.Next())).SecretNo;
        var second = (await sim.BindOkAsync(TestPhones.Next(), a)).SecretNo;
        var third = (await sim.BindOkAsync(a, b)).SecretNo;

        Assert.Equal(3, new[] { first, second, third }.Distinct().Count());
    }

    [Fact]
    public async Task PoolExhaustedForA_FailsWith_NoAvailableNumber()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: false, "17000000001:北京", "17000000002:上海"));
        var a = TestPhones.Next();
        await sim.BindOkAsync(a, TestPhones.Next());
        await sim.BindOkAsync(a, TestPhones.Next());

        var third = await sim.BindAsync(a, TestPhones.Next());
        var otherParties = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal(HttpStatusCode.OK, third.Status);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", third.Code);
        Assert.Equal("OK", otherParties.Code);
    }

    [Fact]
    public async Task DefaultPool_ExhaustedForOnePassenger_After20Bindings()
    {
        await using var sim = await RunningSimulator.StartAsync();
        var passenger = TestPhones.Next();
        var used = new HashSet<string>();
        for (var i = 0; i < 20; i++)
        {
            used.Add((await sim.BindOkAsync(passenger, TestPhones.Next())).SecretNo);
        }

        var exhausted = await sim.BindAsync(passenger, TestPhones.Next());

        Assert.Equal(DefaultPool.ToHashSet(), used);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", exhausted.Code);
    }

    [Fact]
    public async Task PairLimitPerX_IsRespected_AndFreedByUnbinding()
    {
        await using var sim = await RunningSimulator.StartAsync([.. Pool(strict: false, "17000000001:北京"), "MaxAxbPairsPerX=3"]);
        var made = new List<(string SubsId, string SecretNo)>();
        for (var i = 0; i < 3; i++)
        {
            made.Add(await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next()));
        }

        var fourth = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());
        var explicitFourth = await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000001"));
        Assert.Equal("OK", (await sim.UnbindAsync(made[0].SubsId, made[0].SecretNo)).Code);
        var afterUnbind = await sim.BindAsync(TestPhones.Next(), TestPhones.Next());

        Assert.Equal("isv.NO_AVAILABLE_NUMBER", fourth.Code);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", explicitFourth.Code);
        Assert.Equal("OK", afterUnbind.Code);
    }

    [Fact]
    public async Task ConcurrentBinds_NeverExceedThePairLimit()
    {
        await using var sim = await RunningSimulator.StartAsync([.. Pool(strict: false, "17000000001:北京", "17000000002:上海"), "MaxAxbPairsPerX=60"]);
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = 64 };
        using var http = new HttpClient(handler) { BaseAddress = sim.BaseAddress };
        var client = new PopTestClient(http, sim.Clock);
        var expiration = sim.ChinaTime(TimeSpan.FromHours(2));

        var responses = await Task.WhenAll(Enumerable.Range(0, 300).Select(_ => Task.Run(() => client.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", expiration)))));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.Status));
        Assert.Equal(120, responses.Count(r => r.Code == "OK"));
        Assert.Equal(180, responses.Count(r => r.Code == "isv.NO_AVAILABLE_NUMBER"));
        var bindings = await sim.BindingsAsync();
        Assert.Equal(120, bindings.Select(b => b.GetProperty("subsId").GetString()).Distinct().Count());
        Assert.All(bindings.GroupBy(b => b.GetProperty("secretNo").GetString()), g => Assert.Equal(60, g.Count()));
    }

    [Fact]
    public async Task ExpiredBindings_DoNotBlockNewOnes()
    {
        await using var sim = await RunningSimulator.StartAsync([.. Pool(strict: false, "17000000001:北京"), "MaxAxbPairsPerX=1"]);
        var (a, b) = (TestPhones.Next(), TestPhones.Next());
        await sim.BindOkAsync(a, b);
        Assert.Equal("isv.NO_AVAILABLE_NUMBER", (await sim.BindAsync(a, b)).Code);

        sim.Clock.Advance(TimeSpan.FromHours(2) + TimeSpan.FromSeconds(1));
        var again = await sim.BindAsync(a, b);

        Assert.Equal("OK", again.Code);
        Assert.Equal(2, (await sim.BindingsAsync()).Length);
    }

    [Fact]
    public async Task LockedAndFrozenNumbers_AreSkipped_AndRefusedWhenNamed()
    {
        await using var sim = await RunningSimulator.StartAsync(Pool(strict: false, "17000000001:北京", "17000000002:北京", "17000000003:北京"));
        Assert.True((await sim.Http.PatchAsJsonAsync("/_sim/numbers/17000000001", new { locked = true })).IsSuccessStatusCode);
        Assert.True((await sim.Http.PatchAsJsonAsync("/_sim/numbers/17000000002", new { frozen = true })).IsSuccessStatusCode);

        var picks = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            picks.Add((await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next())).SecretNo);
        }

        var named = await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), ("PhoneNoX", "17000000001"));

        Assert.All(picks, x => Assert.Equal("17000000003", x));
        Assert.Equal("isv.FORBIDDEN_ACTION", named.Code);
    }

    [Fact]
    public async Task NumbersLockedInConfiguration_AreSkipped()
    {
        await using var sim = await RunningSimulator.StartAsync([.. Pool(strict: false, "17000000001:北京", "17000000002:北京"), "Pools:0:Numbers:0:Locked=true"]);

        for (var i = 0; i < 4; i++)
        {
            Assert.Equal("17000000002", (await sim.BindOkAsync(TestPhones.Next(), TestPhones.Next())).SecretNo);
        }
    }

    [Fact]
    public async Task UnknownPoolKey_FailsWith_PoolKeyNotExists()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", "FC-NOPE"), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", sim.ChinaTime(TimeSpan.FromHours(1))));

        Assert.Equal("isv.POOLKEY_NOT_EXISTS", response.Code);
    }

    [Theory]
    [InlineData(30)] // less than a minute ahead
    [InlineData(60)] // exactly a minute is not "more than one minute"
    [InlineData(-3600)] // in the past
    public async Task ExpirationNotMoreThanOneMinuteAhead_FailsWith_ExpireDateIllegal(int secondsFromNow)
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromSeconds(secondsFromNow))));

        Assert.Equal(HttpStatusCode.OK, response.Status);
        Assert.Equal("isv.EXPIRE_DATE_ILLEGAL", response.Code);
        Assert.Empty(await sim.BindingsAsync());
    }

    [Fact]
    public async Task ExpirationJustOverOneMinuteAhead_IsAccepted()
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()),
            ("Expiration", sim.ChinaTime(TimeSpan.FromSeconds(61))));

        Assert.Equal("OK", response.Code);
    }

    [Theory]
    [InlineData("2026-03-01T12:00:00Z")]
    [InlineData("2026/03/01 12:00:00")]
    [InlineData("2026-03-01 12:00")]
    [InlineData("2026-3-1 12:00:00")]
    [InlineData("tomorrow")]
    public async Task ExpirationNotInTheDocumentedFormat_FailsWith_ExpireDateIllegal(string expiration)
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", expiration));

        Assert.Equal("isv.EXPIRE_DATE_ILLEGAL", response.Code);
    }

    [Fact]
    public async Task Expiration_IsReadAsChinaTime()
    {
        // Now is 02:00 UTC = 10:00 China time. "09:30" is in the past in China time, though it would be
        // seven hours ahead if read as UTC; "10:30" is half an hour ahead.
        await using var sim = await RunningSimulator.StartAsync();
        async Task<string?> BindExpiringAt(string expiration) => (await sim.Pop.PostAsync(
            "BindAxb", ("PoolKey", RunningSimulator.PoolKey), ("PhoneNoA", TestPhones.Next()), ("PhoneNoB", TestPhones.Next()), ("Expiration", expiration))).Code;

        Assert.Equal("isv.EXPIRE_DATE_ILLEGAL", await BindExpiringAt("2026-03-01 09:30:00"));
        Assert.Equal("OK", await BindExpiringAt("2026-03-01 10:30:00"));
        var binding = Assert.Single(await sim.BindingsAsync());
        Assert.Equal(new DateTimeOffset(2026, 3, 1, 2, 30, 0, TimeSpan.Zero), binding.GetProperty("expiration").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("1380013800")] // 10 digits
    [InlineData("138001380001")] // 12 digits, not a landline
    [InlineData("23800138000")] // 11 digits, not a mobile prefix
    [InlineData("138-0013-8000")]
    [InlineData("138 0013 8000")]
    [InlineData("+8613800138000")]
    [InlineData("0571-88990000")]
    [InlineData("057188")] // landline too short
    [InlineData("１３８００１３８０００")] // full-width digits
    public async Task PhoneNumberNotDigitsOnlyOrWrongLength_FailsWith_MobileNumberIllegal(string number)
    {
        await using var sim = await RunningSimulator.StartAsync();

        var asA = await sim.BindAsync(number, TestPhones.Next());
        var asB = await sim.BindAsync(TestPhones.Next(), number);

        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", asA.Code);
        Assert.Equal("isv.MOBILE_NUMBER_ILLEGAL", asB.Code);
        Assert.Empty(await sim.BindingsAsync());
    }

    [Theory]
    [InlineData("057188990000")]
    [InlineData("01088990000")]
    [InlineData("0571889900")]
    public async Task LandlineWithAreaCode_IsAccepted(string landline)
    {
        await using var sim = await RunningSimulator.StartAsync();

        Assert.Equal("OK", (await sim.BindAsync(landline, TestPhones.Next())).Code);
    }

    [Theory]
    [InlineData("CallRestrict", "CONTROL_CLEAR_DISABLE")]
    [InlineData("CallRestrict", "AX")]
    [InlineData("IsRecordingEnabled", "yes")]
    [InlineData("CallDisplayType", "one")]
    [InlineData("RingConfig", "not json")]
    public async Task MalformedOptionalParameter_FailsWith_InvalidParameters(string name, string value)
    {
        await using var sim = await RunningSimulator.StartAsync();

        var response = await sim.BindAsync(TestPhones.Next(), TestPhones.Next(), (name, value));

        Assert.Equal("isv.INVALID_PARAMETERS", response.Code);
    }

    [Fact]
    public async Task OptionalSettings_AreStoredWithTheBinding()
    {
        await using var sim = await RunningSimulator.StartAsync();

        await sim.BindOkAsync(
            TestPhones.Next(), TestPhones.Next(),
            ("IsRecordingEnabled", "True"), ("CallRestrict", "CONTROL_BX_DISABLE"), ("CallDisplayType", "1"),
            ("RingConfig", """{"AXBRing_A":"10000001"}"""), ("ASRStatus", "true"), ("ASRModelId", "model-7"), ("CallTimeout", "10"));

        var binding = Assert.Single(await sim.BindingsAsync());
        Assert.True(binding.GetProperty("needRecord").GetBoolean());
        Assert.Equal("CONTROL_BX_DISABLE", binding.GetProperty("callRestrict").GetString());
        Assert.Equal(1, binding.GetProperty("callDisplayType").GetInt32());
        Assert.Equal("""{"AXBRing_A":"10000001"}""", binding.GetProperty("ringConfig").GetString());
        Assert.True(binding.GetProperty("asrStatus").GetBoolean());
        Assert.Equal("model-7", binding.GetProperty("asrModelId").GetString());
        Assert.Equal(10, binding.GetProperty("callTimeout").GetInt32());
    }
}
