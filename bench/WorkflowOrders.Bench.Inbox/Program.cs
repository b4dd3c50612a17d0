using System.Diagnostics;
using System.Globalization;
using Npgsql;
using NpgsqlTypes;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Queries;
using WorkflowOrders.Testing;

// Inbox search benchmark: fills PostgreSQL with open user tasks and users by COPY (the point is the query, not the
// engine), then times the REST API's task search — tasks assigned to the user or offered to one of the user's roles,
// open, sorted by due date, first page — for many random users.
//
//   dotnet run -c Release --project bench/WorkflowOrders.Bench.Inbox -- [--tasks 100000] [--users 500] [--samples 400] [--page 50]
//
// Without INBOX_PG (a connection string) it starts a throwaway cluster from the installed PostgreSQL binaries.
// Prints a table and one JSON line {"benchmark":"inbox",…,"p50Ms":…,"p95Ms":…}.

var options = ReadOptions(args);
if (args.Contains("--cap"))
{
    UserTaskQueries.TotalCap = int.Parse(args[Array.IndexOf(args, "--cap") + 1], CultureInfo.InvariantCulture);
}

var cluster = default(PostgresCluster);
string connectionString;
if (Environment.GetEnvironmentVariable("INBOX_PG") is { Length: > 0 } given)
{
    connectionString = given;
}
else
{
    cluster = new PostgresCluster();
    await cluster.InitializeAsync();
    connectionString = await cluster.CreateDatabaseAsync("inbox");
}

try
{
    var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(connectionString));
    await factory.MigrateAsync();
    var random = new Random(20261122);
    var users = MakeUsers(options.Users, random);
    var fill = Stopwatch.StartNew();
    await FillAsync(connectionString, options.Tasks, users, random);
    Console.Error.WriteLine($"filled {options.Tasks:N0} open tasks for {users.Count} users in {fill.Elapsed.TotalSeconds:F1} s");

    if (args.Contains("--explain"))
    {
        await ExplainAsync(factory, connectionString, users[0]);
    }

    var queries = new UserTaskQueries(factory);
    var open = new UserTaskFilter { State = StringFilter.Equal("CREATED") };
    IReadOnlyList<SortOrder> byDueDate = [new SortOrder("dueDate")];
    var page = new PageRequest(Limit: options.Page);

    async Task<(double Ms, long Total)> SearchOnceAsync((string Name, string[] Roles) user)
    {
        var watch = Stopwatch.StartNew();
        var result = await queries.SearchAsync(open, new TaskVisibility(user.Name, user.Roles), byDueDate, page);
        watch.Stop();
        return (watch.Elapsed.TotalMilliseconds, result.TotalItems);
    }

    for (var i = 0; i < options.Warmup; i++)
    {
        await SearchOnceAsync(users[random.Next(users.Count)]);
    }

    var times = new List<double>();
    long totals = 0;
    for (var i = 0; i < options.Samples; i++)
    {
        var (ms, total) = await SearchOnceAsync(users[random.Next(users.Count)]);
        times.Add(ms);
        totals += total;
    }

    times.Sort();
    double P(double q) => times[Math.Min(times.Count - 1, (int)Math.Ceiling(q * times.Count) - 1)];
    var avgVisible = totals / (double)options.Samples;
    Console.WriteLine($"inbox search on PostgreSQL: {options.Tasks:N0} open tasks, {users.Count} users, page {options.Page}, {options.Samples} random users");
    Console.WriteLine($"  visible open tasks per user (avg): {avgVisible:F0}");
    Console.WriteLine($"  p50 {P(0.50):F2} ms   p95 {P(0.95):F2} ms   p99 {P(0.99):F2} ms   max {times[^1]:F2} ms   (items page + total count: 2 SQL statements)");
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $$"""{"benchmark":"inbox","tasks":{{options.Tasks}},"users":{{users.Count}},"page":{{options.Page}},"samples":{{options.Samples}},"avgVisible":{{avgVisible:F0}},"p50Ms":{{P(0.50):F2}},"p95Ms":{{P(0.95):F2}},"p99Ms":{{P(0.99):F2}},"maxMs":{{times[^1]:F2}}}"""));
    return 0;
}
finally
{
    NpgsqlConnection.ClearAllPools();
    if (cluster is not null)
    {
        await cluster.DisposeAsync();
    }
}

static (int Tasks, int Users, int Samples, int Warmup, int Page) ReadOptions(string[] args)
{
    int Get(string name, int fallback)
    {
        var i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
    }

    return (Get("--tasks", 100_000), Get("--users", 500), Get("--samples", 400), Get("--warmup", 50), Get("--page", 50));
}

// Staff roles of procedures.md §1 that tasks are offered to; about one user in six also holds a second role.
static List<(string Name, string[] Roles)> MakeUsers(int count, Random random)
{
    string[] roles = ["sales", "merchandiser", "technical", "planning", "purchasing", "quality", "warehouse", "finance", "dept-manager"];
    var users = new List<(string, string[])>();
    for (var i = 0; i < count; i++)
    {
        var first = roles[random.Next(roles.Length)];
        var second = random.Next(6) == 0 ? roles[random.Next(roles.Length)] : null;
        users.Add(($"user{i:D3}", second is null || second == first ? [first] : [first, second]));
    }

    return users;
}

// Every task is open and offered to one role; a quarter are assigned to a user, one in twenty also names a
// candidate user, one in twenty has no due date. Due dates spread over six weeks around a fixed day.
static async Task FillAsync(string connectionString, int tasks, List<(string Name, string[] Roles)> users, Random random)
{
    string[] groups = ["sales", "merchandiser", "technical", "planning", "purchasing", "quality", "warehouse", "finance", "dept-manager"];
    var day = new DateTime(2026, 11, 2, 0, 0, 0, DateTimeKind.Utc);
    var candidates = new List<(long Task, string Kind, string Value)>();
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using (var copy = await connection.BeginBinaryImportAsync(
        "COPY user_tasks (key, instance_key, element_instance_key, element_id, name, bpmn_process_id, definition_key, definition_version, " +
        "state, assignee, candidate_groups, candidate_users, due_date, priority, created_at, revision) FROM STDIN (FORMAT BINARY)"))
    {
        for (long key = 1; key <= tasks; key++)
        {
            var group = groups[random.Next(groups.Length)];
            var assignee = random.Next(4) == 0 ? users[random.Next(users.Count)].Name : null;
            var candidateUser = random.Next(20) == 0 ? users[random.Next(users.Count)].Name : null;
            DateTime? due = random.Next(20) == 0 ? null : day.AddMinutes(random.Next(-14 * 24 * 60, 28 * 24 * 60));
            await copy.StartRowAsync();
            await copy.WriteAsync(key, NpgsqlDbType.Bigint);
            await copy.WriteAsync(10_000_000 + key, NpgsqlDbType.Bigint);
            await copy.WriteAsync(20_000_000 + key, NpgsqlDbType.Bigint);
            await copy.WriteAsync("Review", NpgsqlDbType.Text);
            await copy.WriteAsync("Review order", NpgsqlDbType.Text);
            await copy.WriteAsync("order-review", NpgsqlDbType.Text);
            await copy.WriteAsync(1L, NpgsqlDbType.Bigint);
            await copy.WriteAsync(1, NpgsqlDbType.Integer);
            await copy.WriteAsync("CREATED", NpgsqlDbType.Text);
            await WriteNullableAsync(copy, assignee);
            await copy.WriteAsync(group, NpgsqlDbType.Text);
            await WriteNullableAsync(copy, candidateUser);
            if (due is { } d)
            {
                await copy.WriteAsync(d, NpgsqlDbType.TimestampTz);
            }
            else
            {
                await copy.WriteNullAsync();
            }

            await copy.WriteAsync(50, NpgsqlDbType.Integer);
            await copy.WriteAsync(day.AddDays(-20).AddSeconds(key), NpgsqlDbType.TimestampTz);
            await copy.WriteAsync(1, NpgsqlDbType.Integer);
            candidates.Add((key, CandidateKinds.Group, group));
            if (candidateUser is not null)
            {
                candidates.Add((key, CandidateKinds.User, candidateUser));
            }
        }

        await copy.CompleteAsync();
    }

    await using (var copy = await connection.BeginBinaryImportAsync("COPY user_task_candidates (task_key, kind, value) FROM STDIN (FORMAT BINARY)"))
    {
        foreach (var (task, kind, value) in candidates)
        {
            await copy.StartRowAsync();
            await copy.WriteAsync(task, NpgsqlDbType.Bigint);
            await copy.WriteAsync(kind, NpgsqlDbType.Text);
            await copy.WriteAsync(value, NpgsqlDbType.Text);
        }

        await copy.CompleteAsync();
    }

    // What autovacuum does soon after a bulk load: statistics, and the visibility map that index-only scans need.
    foreach (var table in new[] { "user_tasks", "user_task_candidates" })
    {
        await using var vacuum = new NpgsqlCommand($"VACUUM ANALYZE {table}", connection);
        await vacuum.ExecuteNonQueryAsync();
    }
}

static async Task WriteNullableAsync(NpgsqlBinaryImporter copy, string? value)
{
    if (value is null)
    {
        await copy.WriteNullAsync();
    }
    else
    {
        await copy.WriteAsync(value, NpgsqlDbType.Text);
    }
}

// The plans PostgreSQL picks for one user's page and count (bench/run.sh inbox --explain).
static async Task ExplainAsync(WorkflowDbContextFactory factory, string connectionString, (string Name, string[] Roles) user)
{
    await using var db = factory.CreateDbContext();
    var filtered = UserTaskQueries.Filtered(db, new UserTaskFilter { State = StringFilter.Equal("CREATED") }, new TaskVisibility(user.Name, user.Roles));
    var pageSql = Microsoft.EntityFrameworkCore.EntityFrameworkQueryableExtensions.ToQueryString(filtered.OrderBy(t => t.DueDate).ThenBy(t => t.Key).Take(50));
    Console.Error.WriteLine(pageSql);
    var sql = Inline(pageSql);
    await using var connection = new NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    foreach (var statement in new[] { sql, $"SELECT count(*) FROM ({sql[..sql.IndexOf("ORDER BY", StringComparison.Ordinal)]} LIMIT {UserTaskQueries.TotalCap + 1}) q" })
    {
        await using var explain = new NpgsqlCommand("EXPLAIN (ANALYZE, BUFFERS) " + statement, connection);
        await using var reader = await explain.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            Console.Error.WriteLine(reader.GetString(0));
        }
    }
}

// ToQueryString writes parameters as "-- @name='value' (DbType = …)" lines; put the values in for EXPLAIN.
static string Inline(string sqlWithParameters)
{
    var lines = sqlWithParameters.Split('\n');
    var values = new Dictionary<string, string>();
    var body = new List<string>();
    foreach (var line in lines)
    {
        if (line.StartsWith("-- @", StringComparison.Ordinal))
        {
            var eq = line.IndexOf('=', StringComparison.Ordinal);
            var name = line[3..eq];
            var rest = line[(eq + 1)..];
            var cut = rest.LastIndexOf(" (", StringComparison.Ordinal);
            var value = cut > 0 ? rest[..cut] : rest;
            values[name] = value.StartsWith('{') ? $"ARRAY[{value.Trim('{', '}', ' ')}]::text[]" : value;
        }
        else
        {
            body.Add(line);
        }
    }

    var text = string.Join('\n', body);
    foreach (var (name, value) in values.OrderByDescending(v => v.Key.Length))
    {
        text = text.Replace(name, value, StringComparison.Ordinal);
    }

    return text;
}
