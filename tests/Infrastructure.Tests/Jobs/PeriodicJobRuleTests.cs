using BindingService.Infrastructure.Jobs;
using BindingService.Infrastructure.Tests.Aliyun.Support;
using Microsoft.Extensions.Logging;

namespace BindingService.Infrastructure.Tests.Jobs;

/// <summary>
/// The periodic job rule (<see cref="PeriodicJob"/>: the expiry sweeper, the reconciler and the outbox pruner are
/// PeriodicJobs): a run that throws is logged as a warning with its exception, and the job goes on to its next run —
/// one bad run never stops expiry or reconciliation for the life of the replica. Stopping ends it quietly.
/// </summary>
public sealed class PeriodicJobRuleTests
{
    /// <summary>Generous for a loaded 2-core machine: the runs are 10 ms apart, so this only bounds a hang.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task AFailedRun_IsLogged_AndTheNextRunStillHappens()
    {
        var logs = new RecordingLoggerProvider();
        using var job = new ScriptedJob(logs.CreateLogger("job"), failingRuns: 2, new InvalidOperationException("run broke"));

        await job.StartAsync(CancellationToken.None);
        var outcome = await Task.WhenAny(job.ThirdRun.Task, job.ExecuteTask!, Task.Delay(Bound)); // a timeout on the wait, not a pause

        Assert.True(outcome == job.ThirdRun.Task, job.ExecuteTask!.IsCompleted
            ? $"the job stopped after a failed run ({job.ExecuteTask.Status}, {job.ExecuteTask.Exception?.InnerException?.GetType().Name})"
            : $"no third run within {Bound.TotalSeconds} s (runs: {job.Runs})");
        await job.StopAsync(CancellationToken.None);

        var failures = logs.Entries.Where(e => e.StartsWith("Warning job: Test job run failed with InvalidOperationException; retrying next interval", StringComparison.Ordinal)).ToList();
        Assert.True(failures.Count >= 2, string.Join('\n', logs.Entries));
        Assert.All(failures, f => Assert.Contains("System.InvalidOperationException: run broke", f, StringComparison.Ordinal)); // the exception is logged with it
        Assert.True(job.ExecuteTask.IsCompletedSuccessfully, "stopping ends the job without an error");
    }

    [Fact]
    public async Task ARunThatTimesOutOnItsOwn_IsAFailedRun_NotAStop()
    {
        // An OperationCanceledException that is not the host stopping (a query or provider call that timed out) is a
        // failed run like any other: the loop must not mistake it for shutdown.
        var logs = new RecordingLoggerProvider();
        using var job = new ScriptedJob(logs.CreateLogger("job"), failingRuns: 2, new TaskCanceledException("timed out"));

        await job.StartAsync(CancellationToken.None);
        var outcome = await Task.WhenAny(job.ThirdRun.Task, job.ExecuteTask!, Task.Delay(Bound)); // a timeout on the wait, not a pause

        Assert.True(outcome == job.ThirdRun.Task, $"the job stopped after a run that timed out (runs: {job.Runs})");
        await job.StopAsync(CancellationToken.None);
        Assert.Contains(logs.Entries, e => e.StartsWith("Warning job: Test job run failed with TaskCanceledException", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Stopping_DuringARun_EndsTheJob_WithoutLoggingAFailure()
    {
        var logs = new RecordingLoggerProvider();
        using var job = new ScriptedJob(logs.CreateLogger("job"), failingRuns: 0, failure: null, blockUntilStopped: true);

        await job.StartAsync(CancellationToken.None);
        await job.FirstRunStarted.Task.WaitAsync(Bound);
        await job.StopAsync(CancellationToken.None);

        Assert.True(job.ExecuteTask!.IsCompleted && !job.ExecuteTask.IsFaulted, $"the job ended {job.ExecuteTask.Status}");
        Assert.Equal(1, job.Runs); // no run after the stop
        Assert.DoesNotContain(logs.Entries, e => e.Contains("run failed", StringComparison.Ordinal));
    }

    /// <summary>A job whose first <c>failingRuns</c> runs throw <c>failure</c>; the third run is signalled.</summary>
    private sealed class ScriptedJob(ILogger logger, int failingRuns, Exception? failure, bool blockUntilStopped = false)
        : PeriodicJob(TimeProvider.System, logger)
    {
        private int _runs;

        public int Runs => Volatile.Read(ref _runs);

        public TaskCompletionSource FirstRunStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource ThirdRun { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        protected override string JobName => "Test job";

        protected override bool Enabled => true;

        protected override TimeSpan Interval => TimeSpan.FromMilliseconds(10);

        protected override async Task RunScheduledAsync(CancellationToken stoppingToken)
        {
            var run = Interlocked.Increment(ref _runs);
            FirstRunStarted.TrySetResult();
            if (blockUntilStopped)
            {
                await Task.Delay(Timeout.Infinite, stoppingToken);
            }

            if (run <= failingRuns && failure is not null)
            {
                throw failure;
            }

            if (run == 3)
            {
                ThirdRun.TrySetResult();
            }
        }
    }
}
