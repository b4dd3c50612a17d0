using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;

namespace WorkflowOrders.Web.Hosting;

/// <summary>
/// The demo's running orders (embedded default only, WorkflowOrders:DemoData): when the instance table is empty,
/// starts two orders on the review procedure of the workflows folder — the first process with a none start event
/// whose id contains "review", else "fulfil", else "order" — so a demo reviewer signing in finds tasks.
/// Nothing happens outside demo mode, with instances already present, or without such a procedure.
/// </summary>
public sealed partial class DemoInstances(
    IOptions<WorkflowOrdersOptions> options,
    IDbContextFactory<WorkflowDbContext> contexts,
    WorkflowRuntime runtime,
    TimeProvider time,
    ILogger<DemoInstances> logger)
{
    public async Task<IReadOnlyList<long>> SeedAsync(CancellationToken cancellationToken = default)
    {
        if (!options.Value.DemoData)
        {
            return [];
        }

        await using (var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false))
        {
            if (await db.ProcessInstances.AnyAsync(cancellationToken).ConfigureAwait(false))
            {
                return [];
            }
        }

        IReadOnlyList<ProcessDefinition> latest;
        await using (var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false))
        {
            latest = await uow.LatestDefinitionsAsync().ConfigureAwait(false);
        }

        var procedure = Pick(latest);
        if (procedure is null)
        {
            LogNoProcedure();
            return [];
        }

        var started = new List<long>();
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        foreach (var (number, customer, amount, weeks, type) in Orders)
        {
            // Flat variables, as the order procedures read them (orderNo is also the messages' correlation key).
            var variables = new JsonObject
            {
                ["orderNo"] = number,
                ["customer"] = customer,
                ["amount"] = amount,
                ["currency"] = "CNY",
                ["deliveryDate"] = today.AddDays(7 * weeks).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
                ["orderType"] = type,
                ["paymentTerms"] = "tt-deposit",
                ["inspectionMode"] = "company",
                ["dataComplete"] = true,
            };
            try
            {
                var instance = await runtime.StartInstanceAsync(procedure.ProcessId, variables, number, "chen.jing", cancellationToken: cancellationToken).ConfigureAwait(false);
                started.Add(instance.Key);
            }
            catch (CommandRejectedException e)
            {
                LogNotStarted(procedure.ProcessId, e.Message);
                break;
            }
        }

        LogSeeded(started.Count, procedure.ProcessId);
        return started;
    }

    private static readonly (string Number, string Customer, decimal Amount, int Weeks, string Type)[] Orders =
    [
        ("SO-2026-0101", "上海恒达机电有限公司", 86_500m, 6, "standard"),
        ("SO-2026-0102", "Nordic Pumps AB", 240_000m, 10, "non-standard"),
    ];

    internal static ProcessDefinition? Pick(IReadOnlyList<ProcessDefinition> definitions)
    {
        var startable = definitions.Where(d => d.Model.NoneStartEvent is not null).OrderBy(d => d.ProcessId, StringComparer.Ordinal).ToList();
        foreach (var word in (string[])["review", "fulfil", "order"])
        {
            if (startable.FirstOrDefault(d => d.ProcessId.Contains(word, StringComparison.OrdinalIgnoreCase)) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: started {Count} order(s) on {ProcessId}")]
    private partial void LogSeeded(int count, string processId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Demo data: no review procedure in the workflows folder, so no demo orders were started")]
    private partial void LogNoProcedure();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Demo data: could not start {ProcessId}: {Reason}")]
    private partial void LogNotStarted(string processId, string reason);
}
