using BindingService.AliyunSimulator.Configuration;
using Microsoft.Extensions.Options;

namespace BindingService.AliyunSimulator.Faults;

/// <summary>
/// Refuses to start on throttling or fault settings that cannot be honoured, naming the key; the same rules check
/// the body of <c>PUT /_sim/faults</c>.
/// </summary>
internal sealed class FaultOptionsValidator : IValidateOptions<SimulatorOptions>
{
    /// <summary>The longest latency or hang accepted: ten minutes.</summary>
    public const int MaxDelayMs = 600_000;

    public ValidateOptionsResult Validate(string? name, SimulatorOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = Check(options.Throttling, "Simulator:Throttling").Concat(Check(options.Faults, "Simulator:Faults")).ToList();
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    public static IEnumerable<string> Check(ThrottlingOptions? throttling, string prefix)
    {
        if (throttling is null)
        {
            yield break;
        }

        foreach (var (action, limit) in throttling.Limits ?? [])
        {
            if (string.IsNullOrWhiteSpace(action) || limit < 1)
            {
                yield return $"{prefix}:Limits:{action} must name an action and allow at least 1 request per second.";
            }
        }
    }

    public static IEnumerable<string> Check(FaultOptions? faults, string prefix)
    {
        if (faults is null)
        {
            yield break;
        }

        if ((faults.Actions ?? []).Any(string.IsNullOrWhiteSpace))
        {
            yield return $"{prefix}:Actions must list action names, none blank.";
        }

        var rates = new List<double>();
        foreach (var (code, rate) in faults.ErrorRates ?? [])
        {
            if (string.IsNullOrWhiteSpace(code))
            {
                yield return $"{prefix}:ErrorRates needs a code for every rate.";
            }

            if (!IsRate(rate))
            {
                yield return $"{prefix}:ErrorRates:{code} must be between 0 and 1.";
            }

            rates.Add(rate);
        }

        foreach (var (kind, interruption) in new[] { ("Timeout", faults.Timeout), ("Drop", faults.Drop) })
        {
            if (interruption is null)
            {
                continue;
            }

            if (!IsRate(interruption.Rate))
            {
                yield return $"{prefix}:{kind}:Rate must be between 0 and 1.";
            }

            if (!Enum.IsDefined(interruption.Mode))
            {
                yield return $"{prefix}:{kind}:Mode must be 'before' or 'after'.";
            }

            rates.Add(interruption.Rate);
        }

        if (rates.All(IsRate) && rates.Sum() > 1 + 1e-9)
        {
            yield return $"{prefix}: the error, timeout and drop rates add up to {rates.Sum():0.###}; they must add up to at most 1.";
        }

        if (faults.AnswerDelayMs is < 0 or > MaxDelayMs)
        {
            yield return $"{prefix}:AnswerDelayMs must be between 0 and {MaxDelayMs}.";
        }

        if (faults.LatencyMs is < 0 or > MaxDelayMs || faults.LatencyJitterMs is < 0 or > MaxDelayMs)
        {
            yield return $"{prefix}:LatencyMs and LatencyJitterMs must be between 0 and {MaxDelayMs}.";
        }

        if (faults.Timeout is { HangMs: < 0 or > MaxDelayMs })
        {
            yield return $"{prefix}:Timeout:HangMs must be between 0 and {MaxDelayMs}.";
        }
    }

    private static bool IsRate(double rate) => rate is >= 0 and <= 1;
}
