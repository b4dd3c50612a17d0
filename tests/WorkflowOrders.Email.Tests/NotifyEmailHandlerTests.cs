using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Email.Tests.Support;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence.Engine;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Jobs;
using WorkflowOrders.Persistence.Keys;
using WorkflowOrders.Testing;

namespace WorkflowOrders.Email.Tests;

public sealed class NotifyEmailHandlerTests : IDisposable
{
    private readonly SqliteDatabase _db = new();
    private readonly AiosmtpdServer _smtp = new();
    private readonly FakeTimeProvider _clock = FakeTimeProvider.At("2026-03-02T01:00:00Z");
    private readonly FakeDirectory _directory = new();
    private readonly MailOptions _options = new() { BaseUrl = "https://orders.example.test", MessageIdDomain = "test.local" };

    public void Dispose()
    {
        _smtp.Dispose();
        _db.Dispose();
    }

    [Fact]
    public async Task Handle_RolesInTwoLanguages_WritesOneMessagePerLanguageWithOrderCustomerAndLink()
    {
        var outcome = await HandleAsync(new Dictionary<string, string> { ["template"] = "order-cancelled", ["toRoles"] = "planning, quality" });

        Assert.IsType<TaskOutcome.Completed>(outcome);
        var rows = await OutboxAsync();
        Assert.Equal(2, rows.Count);
        var zh = rows.Single(r => r.Language == "zh-CN");
        Assert.Equal("wu.hao@example.test, lin.fang@example.test", zh.ToAddresses);
        Assert.Equal("[订单已取消] 订单 ORD-2026-0042 · 宁波海天", zh.Subject);
        Assert.Contains("https://orders.example.test/orders/ORD-2026-0042", zh.TextBody, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://orders.example.test/orders/ORD-2026-0042\">打开订单</a>", zh.HtmlBody, StringComparison.Ordinal);
        var en = rows.Single(r => r.Language == "en");
        Assert.Equal("alice@example.test", en.ToAddresses);
        Assert.Equal("[Order cancelled] Order ORD-2026-0042 · 宁波海天", en.Subject);
        Assert.Equal("notify:order-cancelled", en.CauseKind);
        Assert.Equal(42, en.InstanceKey);
    }

    [Fact]
    public async Task Handle_UnknownTemplate_FailsAndWritesNothing()
    {
        var outcome = await HandleAsync(new Dictionary<string, string> { ["template"] = "no-such", ["toRoles"] = "planning" });

        Assert.Contains("no-such", Assert.IsType<TaskOutcome.Failed>(outcome).Message, StringComparison.Ordinal);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task Handle_RoleWithoutPeople_FailsSoTheEmailIsNotLostSilently()
    {
        var outcome = await HandleAsync(new Dictionary<string, string> { ["template"] = "order-shipped", ["toRoles"] = "warehouse" });

        Assert.IsType<TaskOutcome.Failed>(outcome);
        Assert.Empty(await OutboxAsync());
    }

    [Fact]
    public async Task Handle_ThenSender_EmailArrivesAtSmtpServerInRecipientsLanguage()
    {
        _smtp.Start();
        await HandleAsync(new Dictionary<string, string> { ["template"] = "order-shipped", ["toUsers"] = "alice" });
        var smtp = new MailOptions { Transport = MailTransportKind.Smtp, Smtp = new SmtpOptions { Host = "127.0.0.1", Port = _smtp.Port } };
        using var keys = new KeyAllocator();
        var executor = new JobExecutor(_db.Factory, [new OutboxSendJobHandler(new SystemNetMailTransport(smtp), smtp)], new JobExecutorOptions { OwnerId = "t", WorkerCount = 1 }, _clock, keys);

        await executor.RunOnceAsync();

        var received = MimeText.Decode(Assert.Single(_smtp.Messages()));
        Assert.Contains("To: alice@example.test", received, StringComparison.Ordinal);
        Assert.Contains("Content-Language: en", received, StringComparison.Ordinal);
        Assert.Contains("https://orders.example.test/orders/ORD-2026-0042", received, StringComparison.Ordinal);
        Assert.Contains("The order has been shipped.", received, StringComparison.Ordinal);
        Assert.Contains("<a href=\"https://orders.example.test/orders/ORD-2026-0042\">Open the order</a>", received, StringComparison.Ordinal);
    }

    private async Task<TaskOutcome> HandleAsync(Dictionary<string, string> headers)
    {
        var store = new EfWorkflowStore(_db.Factory, new EfKeyGenerator(_db.Factory));
        await using var db = _db.Factory.CreateDbContext();
        await using var tx = await db.Database.BeginTransactionAsync();
        var handler = new NotifyEmailHandler(_directory, _options, _clock);
        var outcome = await handler.HandleAsync(new TaskContext
        {
            Job = new JobRecord { Key = 1, InstanceKey = 42, Type = "notify.email", Headers = headers },
            Variables = new JsonObject { ["orderNo"] = "ORD-2026-0042", ["customer"] = "宁波海天", ["deliveryDate"] = "2026-04-30" },
            BusinessKey = "ORD-2026-0042",
            UnitOfWork = store.Join(db, null),
        }, CancellationToken.None);
        await db.SaveChangesAsync();
        await tx.CommitAsync();
        return outcome;
    }

    private async Task<List<OutboxMessageRow>> OutboxAsync()
    {
        await using var db = _db.Factory.CreateDbContext();
        return await db.OutboxMessages.AsNoTracking().OrderBy(m => m.Id).ToListAsync();
    }

    private sealed class FakeDirectory : IMailDirectory
    {
        private static readonly MailRecipient[] People =
        [
            new("wu.hao", "吴昊", "wu.hao@example.test", "zh-CN", "planning"),
            new("lin.fang", "林芳", "lin.fang@example.test", "zh-CN", "quality"),
            new("alice", "Alice", "alice@example.test", "en", "quality"),
        ];

        private static readonly Dictionary<string, string[]> RolesOf = new()
        {
            ["wu.hao"] = ["planning"], ["lin.fang"] = ["quality"], ["alice"] = ["quality"],
        };

        public Task<IReadOnlyList<MailRecipient>> UsersInRolesAsync(IReadOnlyCollection<string> roles, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyList<MailRecipient>>(People.Where(p => RolesOf[p.UserName].Intersect(roles).Any()).ToList());

        public Task<MailRecipient?> UserAsync(string userName, CancellationToken cancellationToken) =>
            Task.FromResult(People.FirstOrDefault(p => p.UserName == userName));

        public Task<MailRecipient?> ManagerOfDepartmentAsync(string departmentKey, CancellationToken cancellationToken) =>
            Task.FromResult<MailRecipient?>(null);

        public Task<string?> DepartmentOfRoleAsync(string role, CancellationToken cancellationToken) =>
            Task.FromResult<string?>(role);
    }
}
