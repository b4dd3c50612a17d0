using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace WorkflowOrders.Persistence.Health;

/// <summary>
/// Healthy when the database answers and the oldest due job is less than <see cref="MaxJobLateness"/> late;
/// Degraded when jobs fall behind (executors down or overloaded); Unhealthy when the database cannot be reached.
/// Data: <c>database</c>, <c>oldestDueJobLateSeconds</c>, <c>dueJobs</c>.
/// </summary>
public sealed class WorkflowDatabaseHealthCheck(WorkflowDbContextFactory contexts, TimeProvider time) : IHealthCheck
{
    public TimeSpan MaxJobLateness { get; init; } = TimeSpan.FromMinutes(1);

    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var now = time.GetUtcNow();
        try
        {
            await using var db = contexts.CreateDbContext();
            var due = db.Jobs.Where(j => j.DueAt != null && j.DueAt <= now);
            var oldest = await due.OrderBy(j => j.DueAt).Select(j => j.DueAt).FirstOrDefaultAsync(cancellationToken).ConfigureAwait(false);
            var count = await due.CountAsync(cancellationToken).ConfigureAwait(false);
            var lateness = oldest is { } dueAt ? now - dueAt : TimeSpan.Zero;
            var data = new Dictionary<string, object>
            {
                ["database"] = "reachable",
                ["oldestDueJobLateSeconds"] = Math.Round(lateness.TotalSeconds, 1),
                ["dueJobs"] = count,
            };
            return lateness > MaxJobLateness
                ? HealthCheckResult.Degraded($"The oldest due job is {lateness.TotalSeconds:F0} s late ({count} due).", data: data)
                : HealthCheckResult.Healthy($"Database reachable; the oldest due job is {lateness.TotalSeconds:F1} s late.", data);
        }
#pragma warning disable CA1031 // Any failure to query is what this check reports.
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return new HealthCheckResult(
                context?.Registration?.FailureStatus ?? HealthStatus.Unhealthy,
                "Database unreachable.",
                ex,
                new Dictionary<string, object> { ["database"] = "unreachable" });
        }
    }
}
