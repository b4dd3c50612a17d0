using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Engine.Calendar;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

/// <summary>Two nodes (job executors with their own owners and workers) on one PostgreSQL database and one SMTP server.</summary>
public sealed partial class EscalationTwoNodeTests(PostgresCluster cluster) : IClassFixture<PostgresCluster>, IDisposable
{
    private const int Tasks = 40;
    private readonly AiosmtpdServer _smtp = new();
    private readonly FakeTimeProvider _clock = FakeTimeProvider.At("2026-03-02T09:00:00+08:00");
    private readonly CalendarCatalog _calendars = CalendarCatalog.LoadDirectory(Path.Combine(AppContext.BaseDirectory, "workflows", "calendars"));

    public void Dispose() => _smtp.Dispose();

    [Fact]
    public async Task Ladder_TwoNodesOnPostgres_SendEachLevelOfEachTaskExactlyOnce()
    {
        _smtp.Start();
        var factory = new WorkflowDbContextFactory(PersistenceOptions.UsePostgres(await cluster.CreateDatabaseAsync("mail")));
        await factory.MigrateAsync();
        var keys = new EfKeyGenerator(factory);
        var store = new EfWorkflowStore(factory, keys);
        var runtime = new WorkflowRuntime(new WorkflowEngine(new EngineServices { Time = _clock, Keys = keys, Calendars = _calendars }), store, [new EscalationLadder(new EscalationOptions(), _calendars)]);
        await runtime.DeployAsync([new DeploymentResource("ladder.bpmn", LadderBpmn.Xml)], "test");
        for (var i = 0; i < Tasks; i++)
        {
            await runtime.StartInstanceAsync("ladder", new JsonObject { ["orderNo"] = $"ORD-{i:D4}" }, $"ORD-{i:D4}");
        }

        var mail = new MailOptions { Transport = MailTransportKind.Smtp, Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port, TimeoutSeconds = 10 } };
        using var keysA = new KeyAllocator();
        using var keysB = new KeyAllocator();
        JobExecutor Node(string owner, KeyAllocator allocator) => new(
            factory,
            [new EscalationJobHandler(store, new LadderBpmn.Directory(), mail, _calendars), new OutboxSendJobHandler(new SystemNetMailTransport(mail), mail)],
            new JobExecutorOptions { OwnerId = owner, WorkerCount = 2, BatchSize = 10 },
            _clock,
            allocator);
        var a = Node("node-a", keysA);
        var b = Node("node-b", keysB);

        _clock.Advance(TimeSpan.FromDays(10));
        async Task DrainAsync(JobExecutor node)
        {
            while (await node.RunOnceAsync() > 0)
            {
            }
        }

        // Both drain the same backlog at once: leases and SKIP LOCKED keep them apart; escalation then email jobs.
        for (var round = 0; round < 3; round++)
        {
            await Task.WhenAll(Task.Run(() => DrainAsync(a)), Task.Run(() => DrainAsync(b)));
        }

        await using var db = factory.CreateDbContext();
        var outbox = await db.OutboxMessages.AsNoTracking().ToListAsync();
        Assert.Equal(Tasks * 3, outbox.Count);
        Assert.Equal(Tasks * 3, outbox.Select(m => (m.TaskKey, m.CauseKind)).Distinct().Count());
        Assert.All(outbox, m => Assert.Equal(OutboxStatus.Sent, m.Status));
        Assert.Equal(0, await db.Jobs.CountAsync());
        var received = _smtp.Messages().Select(m => MessageIdPattern().Match(m).Groups[1].Value).ToList();
        Assert.Equal(Tasks * 3, received.Count);
        Assert.Equal(Tasks * 3, received.Distinct().Count());
        Assert.Equal(outbox.Select(m => m.MessageId).Order(), received.Order());
    }

    [GeneratedRegex(@"Message-ID: <([^>]+)>", RegexOptions.IgnoreCase)]
    private static partial Regex MessageIdPattern();
}
