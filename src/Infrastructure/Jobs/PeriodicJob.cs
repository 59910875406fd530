using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Jobs;

/// <summary>
/// A background job that runs every <see cref="Interval"/> in every replica (the expiry sweeper, the reconciler, the
/// outbox pruner): a failed run is logged and retried next interval; a run is given the stopping token and decides
/// itself what of a started batch it finishes; no run starts once the host is stopping. Each run is the root span of
/// its own trace (source <see cref="ActivitySourceName"/>), so what it does (queries, provider calls) and the outbox
/// rows it writes — hence the events it causes, at their consumers — belong to that run (issue 17).
/// </summary>
public abstract partial class PeriodicJob(TimeProvider clock, ILogger logger) : BackgroundService
{
    /// <summary>The activity source of the runs, picked up by the service's "BindingService.*" tracing registration.</summary>
    public const string ActivitySourceName = "BindingService.Jobs";

    private static readonly ActivitySource RunSource = new(ActivitySourceName);

    /// <summary>The time the job runs on (a test may move it).</summary>
    protected TimeProvider Clock { get; } = clock;

    /// <summary>The job's name in its log lines ("Expiry sweeper").</summary>
    protected abstract string JobName { get; }

    /// <summary>Whether this instance runs the job (read once, at start).</summary>
    protected abstract bool Enabled { get; }

    /// <summary>The pause between runs.</summary>
    protected abstract TimeSpan Interval { get; }

    /// <summary>One run.</summary>
    protected abstract Task RunScheduledAsync(CancellationToken stoppingToken);

    protected sealed override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!Enabled)
        {
            LogDisabled(logger, JobName);
            return;
        }

        var interval = Interval;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunTracedAsync(stoppingToken);
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                LogRunFailed(logger, JobName, ex.GetType().Name, ex);
            }

            try
            {
                await Task.Delay(interval, Clock, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    /// <summary>One run in a span "{JobName} run" that starts a new trace (whatever activity the host started us in).</summary>
    private async Task RunTracedAsync(CancellationToken stoppingToken)
    {
        // Inside this async method only: the change does not flow back to the loop.
        Activity.Current = null;
        using var activity = RunSource.StartActivity($"{JobName} run", ActivityKind.Internal);
        activity?.SetTag("bindingservice.job", JobName);
        try
        {
            await RunScheduledAsync(stoppingToken);
        }
        catch (Exception ex)
        {
            activity?.SetTag("error.type", ex.GetType().FullName);
            activity?.SetStatus(ActivityStatusCode.Error, ex.GetType().Name);
            throw;
        }
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Warning, Message = "{Job} run failed with {ExceptionType}; retrying next interval")]
    private static partial void LogRunFailed(ILogger logger, string job, string exceptionType, Exception exception);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "{Job} is disabled in this instance")]
    private static partial void LogDisabled(ILogger logger, string job);
}
