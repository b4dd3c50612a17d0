namespace WorkflowOrders.Persistence.Entities;

/// <summary>
/// A row guarded by optimistic concurrency: <see cref="WorkflowDbContext"/> raises <see cref="Revision"/> by one on
/// every save and the UPDATE only matches the revision that was read, so a stale save changes nothing and throws
/// <see cref="ConcurrencyConflictException"/>.
/// </summary>
public interface IRevisioned
{
    int Revision { get; set; }
}
