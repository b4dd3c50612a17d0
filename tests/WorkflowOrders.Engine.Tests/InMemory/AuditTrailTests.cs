using System.Text.Json.Nodes;
using WorkflowOrders.Engine.InMemory;
using WorkflowOrders.Engine.Runtime;

namespace WorkflowOrders.Engine.Tests.InMemory;

public sealed class AuditTrailTests
{
    private static readonly DateTimeOffset At = new(2026, 10, 8, 9, 15, 30, 123, TimeSpan.FromHours(8));

    private static AuditEvent Event(int i) => new(
        i % 3 == 0 ? null : 1000 + i,
        i % 2 == 0 ? AuditKinds.ElementActivated : AuditKinds.VariablesChanged,
        i % 5 == 0 ? null : $"Task_{i}",
        i % 7 == 0 ? null : 5000 + i,
        i % 4 == 0 ? null : "zhang.san",
        At.AddTicks(i),
        i % 2 == 0 ? null : new JsonObject { ["variables"] = new JsonArray("reviewOutcome", $"v{i}"), ["note"] = "评审 \"ok\"", ["n"] = i });

    [Fact]
    public void Read_AfterMoreEventsThanOneRowBlockAndTextBlock_GivesEveryFieldBackInOrder()
    {
        using var trail = new AuditTrail();
        var written = Enumerable.Range(0, 5_000).Select(Event).ToList();
        trail.AddRange(written);

        Assert.Equal(written.Count, trail.Count);
        var read = trail.ToList();
        for (var i = 0; i < written.Count; i++)
        {
            var (expected, actual, indexed) = (written[i], read[i], trail[i]);
            Assert.Equal(expected with { Details = null }, actual with { Details = null });
            Assert.Equal(expected.Details?.ToJsonString(), actual.Details?.ToJsonString());
            Assert.Equal(expected.Details?.ToJsonString(), indexed.Details?.ToJsonString());
        }
    }

    [Fact]
    public void Read_EventWithDetails_GivesTypedValuesBack()
    {
        using var trail = new AuditTrail();
        trail.Add(Event(1));

        var details = trail[0].Details!;

        Assert.Equal("评审 \"ok\"", details["note"]!.GetValue<string>());
        Assert.Equal(1, details["n"]!.GetValue<int>());
        Assert.Equal("reviewOutcome", details["variables"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Read_DetailsChangedByReader_LeavesStoredEventUnchanged()
    {
        using var trail = new AuditTrail();
        trail.Add(Event(1));

        trail[0].Details!["note"] = "changed";

        Assert.Equal("评审 \"ok\"", trail[0].Details!["note"]!.GetValue<string>());
    }

    [Fact]
    public void Read_DetailsLongerThanATextBlock_GivesThemBackWhole()
    {
        using var trail = new AuditTrail();
        var message = new string('x', 100_000) + "。";
        trail.Add(Event(1));
        trail.Add(new AuditEvent(1, AuditKinds.IncidentCreated, "Task_1", 2, null, At, new JsonObject { ["message"] = message }));
        trail.Add(Event(3));

        Assert.Equal(message, trail[1].Details!["message"]!.GetValue<string>());
        Assert.Equal(Event(3).Details!.ToJsonString(), trail[2].Details!.ToJsonString());
    }

    [Fact]
    public void Indexer_PastTheEnd_Throws()
    {
        using var trail = new AuditTrail();
        trail.Add(Event(0));

        Assert.Throws<ArgumentOutOfRangeException>(() => trail[1]);
    }
}
