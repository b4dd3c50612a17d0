using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Features.Work;

/// <summary>Display names (张伟) for the user names stored in tasks and the audit trail; an unknown name is shown as it is.</summary>
public sealed class PeopleNames(PeopleDbContext people)
{
    public async Task<IReadOnlyDictionary<string, string>> ResolveAsync(IEnumerable<string?> userNames, CancellationToken cancellationToken = default)
    {
        var wanted = userNames.Where(n => !string.IsNullOrEmpty(n)).Select(n => n!).Distinct(StringComparer.Ordinal).ToList();
        if (wanted.Count == 0)
        {
            return new Dictionary<string, string>(StringComparer.Ordinal);
        }

        var found = await people.Users.AsNoTracking()
            .Where(u => u.UserName != null && wanted.Contains(u.UserName))
            .Select(u => new { u.UserName, u.DisplayName })
            .ToListAsync(cancellationToken).ConfigureAwait(false);
        var names = wanted.ToDictionary(n => n, n => n, StringComparer.Ordinal);
        foreach (var user in found)
        {
            if (!string.IsNullOrEmpty(user.DisplayName))
            {
                names[user.UserName!] = user.DisplayName;
            }
        }

        return names;
    }

    /// <summary>Active colleagues who may take a task: holders of one of its candidate groups, or its candidate users.</summary>
    public async Task<IReadOnlyList<Colleague>> CandidatesAsync(IReadOnlyCollection<string> groups, IReadOnlyCollection<string> users, string exceptUserName, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(groups);
        ArgumentNullException.ThrowIfNull(users);
        var byRole = groups.Count == 0 ? [] : await (
            from u in people.Users.AsNoTracking()
            join ur in people.UserRoles on u.Id equals ur.UserId
            join r in people.Roles on ur.RoleId equals r.Id
            where r.Name != null && groups.Contains(r.Name) && u.DeactivatedAt == null
            select new Colleague(u.UserName!, u.DisplayName)).ToListAsync(cancellationToken).ConfigureAwait(false);
        var byName = users.Count == 0 ? [] : await people.Users.AsNoTracking()
            .Where(u => u.UserName != null && users.Contains(u.UserName) && u.DeactivatedAt == null)
            .Select(u => new Colleague(u.UserName!, u.DisplayName)).ToListAsync(cancellationToken).ConfigureAwait(false);
        return [.. byRole.Concat(byName)
            .Where(c => c.UserName != exceptUserName)
            .DistinctBy(c => c.UserName)
            .OrderBy(c => c.DisplayName, StringComparer.Ordinal)];
    }
}

public sealed record Colleague(string UserName, string DisplayName);
