using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Persistence.Calendars;

/// <summary>
/// The calendars of the <c>calendars</c> table. The files of workflows/calendars seed the table at start-up
/// (<see cref="SeedAsync"/>) only for ids it lacks, so an administrator's edit is never overwritten by the file.
/// A save through <see cref="SaveAsync"/> takes effect on this node at once; other nodes read the table again on the
/// first look-up after <see cref="RefreshInterval"/> has passed, so an edit reaches every node within that interval.
/// </summary>
public sealed class DbCalendarProvider(WorkflowDbContextFactory contexts, TimeProvider time) : ICalendarProvider
{
    /// <summary>What seeded rows record as their author.</summary>
    public const string SeedAuthor = "seed";

    private readonly Lock _reloading = new();
    private volatile Snapshot? _snapshot;

    /// <summary>How old the copy in memory may get before a look-up reads the table again (edits made on other nodes).</summary>
    public TimeSpan RefreshInterval { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Every calendar, ordered by id.</summary>
    public IReadOnlyList<WorkingCalendar> All => Current().Calendars;

    public IWorkingCalendar? Find(string calendarId) => Current().ById.GetValueOrDefault(calendarId);

    /// <summary>Inserts each *.json file of <paramref name="directory"/> whose id the table lacks; a bad file throws <see cref="CalendarFileException"/>.</summary>
    public async Task SeedAsync(string directory, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(directory);
        await using (var db = contexts.CreateDbContext())
        {
            var known = (await db.Calendars.Select(c => c.Id).ToListAsync(cancellationToken).ConfigureAwait(false)).ToHashSet(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
            {
                var definition = CalendarLoader.LoadFile(path);
                if (known.Add(definition.Id))
                {
                    db.Calendars.Add(new CalendarRow
                    {
                        Id = definition.Id,
                        Json = await File.ReadAllTextAsync(path, cancellationToken).ConfigureAwait(false),
                        UpdatedAt = time.GetUtcNow(),
                        UpdatedBy = SeedAuthor,
                    });
                }
            }

            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        Reload();
    }

    /// <summary>The stored rows (JSON as saved, who saved it and when), ordered by id.</summary>
    public async Task<IReadOnlyList<CalendarRow>> ReadRowsAsync(CancellationToken cancellationToken = default)
    {
        await using var db = contexts.CreateDbContext();
        var rows = await db.Calendars.AsNoTracking().ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. rows.OrderBy(r => r.Id, StringComparer.Ordinal)];
    }

    /// <summary>
    /// Checks <paramref name="json"/> with <see cref="CalendarLoader"/> and stores it as calendar <paramref name="calendarId"/>;
    /// nothing is written when it is refused.
    /// </summary>
    /// <exception cref="CalendarFileException">The text is not a valid calendar, or its id is not <paramref name="calendarId"/>.</exception>
    public async Task<CalendarDefinition> SaveAsync(string calendarId, string json, string updatedBy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(calendarId);
        ArgumentNullException.ThrowIfNull(updatedBy);
        var fileName = $"{calendarId}.json";
        var definition = CalendarLoader.Parse(json, fileName);
        if (!string.Equals(definition.Id, calendarId, StringComparison.Ordinal))
        {
            // Process definitions refer to a calendar by id, so a rename here would silently cut them off.
            throw new CalendarFileException(fileName, [$"id: \"{definition.Id}\" differs from the calendar being edited (\"{calendarId}\"); the id cannot change"]);
        }

        await using (var db = contexts.CreateDbContext())
        {
            var row = await db.Calendars.FirstOrDefaultAsync(c => c.Id == calendarId, cancellationToken).ConfigureAwait(false);
            if (row is null)
            {
                row = new CalendarRow { Id = calendarId, Json = json, UpdatedBy = updatedBy };
                db.Calendars.Add(row);
            }

            row.Json = json;
            row.UpdatedBy = updatedBy;
            row.UpdatedAt = time.GetUtcNow();
            await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        }

        Reload();
        return definition;
    }

    /// <summary>Reads the table now, whatever the age of the copy in memory.</summary>
    public void Reload()
    {
        lock (_reloading)
        {
            _snapshot = Load();
        }
    }

    private Snapshot Current()
    {
        var snapshot = _snapshot;
        if (snapshot is not null && time.GetUtcNow() - snapshot.LoadedAt < RefreshInterval)
        {
            return snapshot;
        }

        // One reader refreshes; the others keep answering from the older copy meanwhile (when there is one).
        if (snapshot is not null && !_reloading.TryEnter())
        {
            return snapshot;
        }

        if (snapshot is null)
        {
            _reloading.Enter();
        }

        try
        {
            var again = _snapshot;
            if (again is not null && again != snapshot)
            {
                return again;
            }

            var loaded = Load();
            _snapshot = loaded;
            return loaded;
        }
        finally
        {
            _reloading.Exit();
        }
    }

    private Snapshot Load()
    {
        var loadedAt = time.GetUtcNow();
        using var db = contexts.CreateDbContext();
        // Every row was checked when it was saved; a row the loader refuses now throws here with the loader's message.
        var calendars = db.Calendars.AsNoTracking().AsEnumerable()
            .OrderBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new WorkingCalendar(CalendarLoader.Parse(r.Json, $"{r.Id}.json")))
            .ToList();
        return new Snapshot(calendars, calendars.ToDictionary(c => c.Id, c => c, StringComparer.Ordinal), loadedAt);
    }

    private sealed record Snapshot(IReadOnlyList<WorkingCalendar> Calendars, Dictionary<string, WorkingCalendar> ById, DateTimeOffset LoadedAt);
}
