using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.Handlers;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Engine.Tests.Runtime;
using WorkflowOrders.Engine.Tests.Support;
using static WorkflowOrders.Conformance.BpmnText;

namespace WorkflowOrders.Engine.Tests.Handlers;

public sealed class PublishMessageHandlerTests
{
    private static readonly DateTimeOffset Tuesday10 = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    private const string Messages = """
        <bpmn:message id="Message_Done" name="work-done"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderNo" /></bpmn:extensionElements></bpmn:message>
        <bpmn:message id="Message_Report" name="report-filed" />
        """;

    private static string Sender(string extensions) => Process("sender", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:sendTask id="Publish"><bpmn:extensionElements><zeebe:taskDefinition type="message.publish" retries="1" />{extensions}</bpmn:extensionElements></bpmn:sendTask>
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Publish")}
        {Flow("f1", "Publish", "End")}
        """);

    private static string Waiter => Process("waiter", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateCatchEvent id="Wait"><bpmn:messageEventDefinition messageRef="Message_Done" /></bpmn:intermediateCatchEvent>
        {UserTask("After")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Wait")}
        {Flow("f1", "Wait", "After")}
        {Flow("f2", "After", "End")}
        """, Messages);

    private static string Reported => Process("reported", $"""
        <bpmn:startEvent id="Start"><bpmn:messageEventDefinition messageRef="Message_Report" /></bpmn:startEvent>
        {UserTask("Handle", "quality")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Handle")}
        {Flow("f1", "Handle", "End")}
        """, Messages);

    private static InMemoryHarness Harness() => EngineHarness.Create(new FakeClock(Tuesday10), runtime => [new PublishMessageHandler(runtime)]);

    [Fact]
    public async Task Publish_NameInHeaderKeyAndVariablesFromInputs_WaitingInstanceReceivesOnlyTheInputsAndTheContext()
    {
        await using var h = Harness();
        await h.DeployAsync(Waiter, "waiter.bpmn");
        await h.DeployAsync(Sender("""
            <zeebe:taskHeaders><zeebe:header key="messageName" value="work-done" /></zeebe:taskHeaders>
            <zeebe:ioMapping><zeebe:input source="=order" target="correlationKey" /><zeebe:input source="=result * 2" target="doubled" /><zeebe:input source="={tripled: result * 3}" target="variables" /></zeebe:ioMapping>
            """), "sender.bpmn");
        var waiter = await h.StartAsync("waiter", """{"orderNo":"ORD-1"}""");
        var sender = await h.StartAsync("sender", """{"order":"ORD-1","result":21,"secret":"x"}""");

        await h.RunDueJobsAsync();

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(sender.Key)).Status);
        Assert.Single(await h.OpenTasksAsync(waiter.Key), t => t.ElementId == "After");
        var received = await h.InstanceAsync(waiter.Key);
        Assert.Equal("42", received.Variables["doubled"]?.ToJsonString());
        Assert.Equal("63", received.Variables["tripled"]?.ToJsonString());
        Assert.Null(received.Variables["variables"]);
        Assert.Null(received.Variables["secret"]);
        Assert.Null(received.Variables["correlationKey"]);
    }

    [Fact]
    public async Task Publish_NoCorrelationKeyGiven_UsesTheBusinessKey()
    {
        await using var h = Harness();
        await h.DeployAsync(Waiter, "waiter.bpmn");
        await h.DeployAsync(Sender("""<zeebe:taskHeaders><zeebe:header key="messageName" value="work-done" /></zeebe:taskHeaders>"""), "sender.bpmn");
        var other = await h.StartAsync("waiter", """{"orderNo":"ORD-2"}""");
        var waiter = await h.StartAsync("waiter", """{"orderNo":"ORD-1"}""");
        await h.StartAsync("sender", null, "ORD-1");

        await h.RunDueJobsAsync();

        Assert.Single(await h.OpenTasksAsync(waiter.Key), t => t.ElementId == "After");
        Assert.Empty(await h.OpenTasksAsync(other.Key));
    }

    [Fact]
    public async Task Publish_MessageStartEvent_StartsTheProcessWithTheVariablesAndKey()
    {
        await using var h = Harness();
        await h.DeployAsync(Reported, "reported.bpmn");
        await h.DeployAsync(Sender("""
            <zeebe:ioMapping><zeebe:input source="=&quot;report-filed&quot;" target="messageName" /><zeebe:input source="=orderNo" target="correlationKey" /><zeebe:input source="=orderNo" target="orderNo" /></zeebe:ioMapping>
            """), "sender.bpmn");
        await h.StartAsync("sender", """{"orderNo":"ORD-7"}""");

        await h.RunDueJobsAsync();

        var started = Assert.Single(h.Store.AllInstances, i => i.ProcessId == "reported");
        Assert.Equal("ORD-7", started.BusinessKey);
        Assert.Equal("\"ORD-7\"", started.Variables["orderNo"]?.ToJsonString());
        Assert.Single(await h.OpenTasksAsync(started.Key), t => t.ElementId == "Handle");
    }

    [Fact]
    public async Task Publish_WithoutMessageName_IncidentNamesTheParameter()
    {
        await using var h = Harness();
        await h.DeployAsync(Sender(""), "sender.bpmn");
        var sender = await h.StartAsync("sender");

        await h.RunDueJobsAsync();

        var incident = Assert.Single(await h.ActiveIncidentsAsync(sender.Key));
        Assert.Equal(IncidentTypes.JobNoRetries, incident.ErrorType);
        Assert.Contains("messageName", incident.ErrorMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Publish_TimeToLiveHeader_InstanceWaitingLaterStillReceivesIt()
    {
        await using var h = Harness();
        await h.DeployAsync(Waiter, "waiter.bpmn");
        await h.DeployAsync(Sender("""<zeebe:taskHeaders><zeebe:header key="messageName" value="work-done" /><zeebe:header key="timeToLive" value="PT1H" /></zeebe:taskHeaders>"""), "sender.bpmn");
        await h.StartAsync("sender", null, "ORD-3");
        await h.RunDueJobsAsync();

        var waiter = await h.StartAsync("waiter", """{"orderNo":"ORD-3"}""");

        Assert.Single(await h.OpenTasksAsync(waiter.Key), t => t.ElementId == "After");
    }
}
