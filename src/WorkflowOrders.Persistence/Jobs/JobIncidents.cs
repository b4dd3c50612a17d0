using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Jobs;

/// <summary>What a user does with an incident raised by a job that ran out of retries.</summary>
public static class JobIncidents
{
    /// <summary>
    /// Marks the incident resolved and re-arms its parked job: due now, with a fresh set of attempts. Runs in the
    /// caller's transaction if there is one. Returns false when the incident does not exist or is already resolved.
    /// </summary>
    public static async Task<bool> ResolveAsync(WorkflowDbContext db, long incidentKey, string resolvedBy, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        var incident = await db.Incidents.SingleOrDefaultAsync(i => i.Key == incidentKey, cancellationToken).ConfigureAwait(false);
        if (incident is null || incident.State != IncidentState.Active)
        {
            return false;
        }

        var ownTransaction = db.Database.CurrentTransaction is null
            ? await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false)
            : null;
        await using (ownTransaction)
        {
            incident.State = IncidentState.Resolved;
            incident.ResolvedAt = now;
            incident.ResolvedBy = resolvedBy;
            db.AuditEvents.Add(new AuditEventRow
            {
                InstanceKey = incident.InstanceKey,
                ElementInstanceKey = incident.ElementInstanceKey,
                ElementId = incident.ElementId,
                Kind = "incident-resolved",
                Actor = resolvedBy,
                At = now,
            });
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);

            if (incident.JobId is { } jobId)
            {
                DateTimeOffset? dueAt = now;
                await db.Jobs.Where(j => j.Id == jobId && j.DueAt == null)
                    .ExecuteUpdateAsync(s => s.SetProperty(j => j.DueAt, dueAt).SetProperty(j => j.Attempts, 0), cancellationToken)
                    .ConfigureAwait(false);
            }

            if (incident.InstanceKey is { } instanceKey)
            {
                var stillFailing = await db.Incidents.AnyAsync(i => i.InstanceKey == instanceKey && i.State == IncidentState.Active, cancellationToken).ConfigureAwait(false);
                await db.ProcessInstances.Where(i => i.Key == instanceKey)
                    .ExecuteUpdateAsync(s => s.SetProperty(i => i.HasIncident, stillFailing), cancellationToken)
                    .ConfigureAwait(false);
            }

            if (ownTransaction is not null)
            {
                await ownTransaction.CommitAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        return true;
    }
}
