using System.Globalization;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Bpmn;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using static WorkflowOrders.Conformance.BpmnText;

namespace WorkflowOrders.Conformance;

/// <summary>
/// Token semantics of every supported element and the edge cases Camunda 8 defines, written once. Each store's
/// test project derives a class from this one, so the same scenarios run in memory, on SQLite and on PostgreSQL.
/// </summary>
public abstract class EngineConformanceScenarios
{
    /// <summary>Tuesday 2026-03-10 10:00 in Shanghai: an ordinary working day.</summary>
    protected static readonly DateTimeOffset Tuesday10 = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    protected abstract IHarnessFactory Factory { get; }

    protected Task<WorkflowHarness> HarnessAsync(params ITaskHandler[] handlers) =>
        Factory.CreateAsync(new FakeClock(Tuesday10), handlers);

    private static JsonObject Json(string json) => (JsonObject)JsonNode.Parse(json)!;

    private static string? Var(InstanceState state, string name) => state.Variables[name]?.ToJsonString();

    // ------------------------------------------------------------------ user tasks, start and end

    [Fact]
    public async Task UserTask_Entered_CreatesTaskWithEvaluatedAssignmentScheduleAndForm()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:userTask id="Review" name="评审">
              <bpmn:extensionElements>
                <zeebe:assignmentDefinition assignee="=reviewer" candidateGroups="=[&quot;sales&quot;, &quot;finance&quot;]" candidateUsers="bob, carol" />
                <zeebe:taskSchedule dueDate="=addWorkingDays(now(), 1)" followUpDate="=addWorkingHours(now(), 4)" />
                <zeebe:formDefinition formId="review" />
                <zeebe:priorityDefinition priority="=70" />
                <zeebe:taskHeaders><zeebe:header key="kind" value="review" /></zeebe:taskHeaders>
                <zeebe:properties><zeebe:property name="name.en" value="Review" /></zeebe:properties>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Review")}
            {Flow("f2", "Review", "End")}
            """));

        var instance = await h.StartAsync("p", """{"reviewer":"alice"}""", "ORD-1");

        var task = await h.SingleOpenTaskAsync(instance.Key, "Review");
        Assert.Equal("评审", task.Name);
        Assert.Equal("alice", task.Assignee);
        Assert.Equal(["sales", "finance"], task.CandidateGroups);
        Assert.Equal(["bob", "carol"], task.CandidateUsers);
        Assert.Equal(new DateTimeOffset(2026, 3, 11, 10, 0, 0, TimeSpan.FromHours(8)), task.DueDate);
        Assert.Equal(new DateTimeOffset(2026, 3, 10, 14, 0, 0, TimeSpan.FromHours(8)), task.FollowUpDate);
        Assert.Equal(70, task.Priority);
        Assert.Equal("review", task.FormId);
        Assert.Equal("review", task.Headers["kind"]);
        Assert.Equal("Review", task.Properties["name.en"]);
        Assert.Equal("ORD-1", task.BusinessKey);
        Assert.Equal(UserTaskState.Created, task.State);
    }

    [Fact]
    public async Task UserTask_CompletedWithVariables_VariablesReachInstanceAndInstanceCompletes()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Review")}
            {Flow("f2", "Review", "End")}
            """));
        var instance = await h.StartAsync("p", """{"amount":120000}""");

        await h.CompleteTaskAsync(instance.Key, "Review", """{"approved":true,"comment":"ok"}""", actor: "alice");

        var done = await h.InstanceAsync(instance.Key);
        Assert.Equal(InstanceStatus.Completed, done.Status);
        Assert.Equal("true", Var(done, "approved"));
        Assert.Equal("120000", Var(done, "amount"));
        var task = Assert.Single(await h.AllTasksAsync(instance.Key));
        Assert.Equal(UserTaskState.Completed, task.State);
        Assert.Equal("alice", task.CompletedBy);
        Assert.Empty(await h.OpenTasksAsync(instance.Key));
    }

    [Fact]
    public async Task UserTask_CompletedTwice_SecondIsRefusedNamingWhoCompletedIt()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Review")}
            {Flow("f2", "Review", "End")}
            """));
        var instance = await h.StartAsync("p");
        var task = await h.SingleOpenTaskAsync(instance.Key, "Review");
        await h.Runtime.CompleteUserTaskAsync(task.Key, null, "alice");

        var second = await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.CompleteUserTaskAsync(task.Key, null, "bob"));

        Assert.Equal(RejectionCodes.NotFound, second.Code);
        Assert.Contains("already completed by alice", second.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UserTask_AssignedAndUnassigned_TaskRowAndAuditFollow()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Review")}
            {Flow("f2", "Review", "End")}
            """));
        var instance = await h.StartAsync("p");
        var task = await h.SingleOpenTaskAsync(instance.Key, "Review");

        await h.Runtime.AssignUserTaskAsync(task.Key, "alice", "alice");
        var conflict = await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.AssignUserTaskAsync(task.Key, "bob", "bob", allowOverride: false));
        Assert.Equal(RejectionCodes.InvalidState, conflict.Code);
        Assert.Equal("alice", (await h.SingleOpenTaskAsync(instance.Key, "Review")).Assignee);

        await h.Runtime.AssignUserTaskAsync(task.Key, null, "alice");
        Assert.Null((await h.SingleOpenTaskAsync(instance.Key, "Review")).Assignee);
        var audit = await h.AuditAsync(instance.Key);
        Assert.Equal(2, audit.Count(a => a.Kind == AuditKinds.UserTaskAssigned));
    }

    [Fact]
    public async Task StartEvent_OutputMappings_SetDefaultsBeforeTheFirstStep()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start"><bpmn:extensionElements><zeebe:ioMapping><zeebe:output source="=if approvalThreshold = null then 100000 else approvalThreshold" target="approvalThreshold" /></zeebe:ioMapping></bpmn:extensionElements></bpmn:startEvent>
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));

        var defaulted = await h.StartAsync("p");
        var given = await h.StartAsync("p", """{"approvalThreshold":50000}""");

        Assert.Equal("100000", Var(await h.InstanceAsync(defaulted.Key), "approvalThreshold"));
        Assert.Equal("50000", Var(await h.InstanceAsync(given.Key), "approvalThreshold"));
        Assert.Single(await h.OpenTasksAsync(defaulted.Key));
    }

    [Fact]
    public async Task PlainAndManualTasks_Entered_PassStraightThrough()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:task id="Plain" />
            <bpmn:manualTask id="Manual" />
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Plain")}
            {Flow("f2", "Plain", "Manual")}
            {Flow("f3", "Manual", "End")}
            """));

        var instance = await h.StartAsync("p");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(instance.Key)).Status);
        var completed = (await h.AuditAsync(instance.Key)).Where(a => a.Kind == AuditKinds.ElementCompleted).Select(a => a.ElementId).ToList();
        Assert.Equal(["Start", "Plain", "Manual", "End"], completed);
    }

    [Fact]
    public async Task ScriptTask_Entered_WritesResultVariable()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:scriptTask id="Total"><bpmn:extensionElements><zeebe:script expression="=sum(for l in lines return l.qty * l.price)" resultVariable="total" /></bpmn:extensionElements></bpmn:scriptTask>
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Total")}
            {Flow("f2", "Total", "End")}
            """));

        var instance = await h.StartAsync("p", """{"lines":[{"qty":2,"price":10.5},{"qty":1,"price":4}]}""");

        Assert.Equal("25", Var(await h.InstanceAsync(instance.Key), "total"));
    }

    [Fact]
    public async Task IoMappings_InputsAndOutputs_LocalScopeThenMappedToRoot()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:userTask id="Review">
              <bpmn:extensionElements>
                <zeebe:assignmentDefinition assignee="=owner" />
                <zeebe:ioMapping>
                  <zeebe:input source="=order.merchandiser" target="owner" />
                  <zeebe:output source="=decision" target="review.decision" />
                </zeebe:ioMapping>
              </bpmn:extensionElements>
            </bpmn:userTask>
            <bpmn:endEvent id="End" />
            {Flow("f1", "Start", "Review")}
            {Flow("f2", "Review", "End")}
            """));
        var instance = await h.StartAsync("p", """{"order":{"merchandiser":"mia"}}""");

        Assert.Equal("mia", (await h.SingleOpenTaskAsync(instance.Key, "Review")).Assignee);
        await h.CompleteTaskAsync(instance.Key, "Review", """{"decision":"pass","scratch":1}""");

        var done = await h.InstanceAsync(instance.Key);
        Assert.Equal("""{"decision":"pass"}""", Var(done, "review"));
        Assert.Null(done.Variables["scratch"]);
        Assert.Null(done.Variables["owner"]);
    }

    // ------------------------------------------------------------------ gateways

    private static string ExclusiveProcess(string? defaultFlow) => Process("p", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:exclusiveGateway id="Amount"{(defaultFlow is null ? "" : $" default=\"{defaultFlow}\"")} />
        {UserTask("Big")}
        {UserTask("Medium")}
        {UserTask("Small")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Amount")}
        {Flow("toBig", "Amount", "Big", "=amount >= 100000")}
        {Flow("toMedium", "Amount", "Medium", "=amount >= 10000")}
        {(defaultFlow is null ? Flow("toSmall", "Amount", "Small", "=amount < 0") : Flow("toSmall", "Amount", "Small"))}
        {Flow("e1", "Big", "End")}
        {Flow("e2", "Medium", "End")}
        {Flow("e3", "Small", "End")}
        """);

    [Theory]
    [InlineData(150000, "Big")]
    [InlineData(50000, "Medium")]
    [InlineData(100, "Small")]
    public async Task ExclusiveGateway_Conditions_FirstTrueInDocumentOrderElseDefault(int amount, string expected)
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ExclusiveProcess(defaultFlow: "toSmall"));

        var instance = await h.StartAsync("p", $$"""{"amount":{{amount}}}""");

        var task = Assert.Single(await h.OpenTasksAsync(instance.Key));
        Assert.Equal(expected, task.ElementId);
    }

    [Fact]
    public async Task ExclusiveGateway_NoConditionTrueAndNoDefault_IncidentThenRetryAfterFix()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ExclusiveProcess(defaultFlow: null));
        var instance = await h.StartAsync("p", """{"amount":5}""");

        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(IncidentTypes.ConditionError, incident.ErrorType);
        Assert.Equal("Amount", incident.ElementId);
        Assert.True((await h.InstanceAsync(instance.Key)).HasIncident);

        await h.Runtime.SetVariablesAsync(instance.Key, Json("""{"amount":20000}"""), "admin");
        await h.Runtime.ResolveIncidentAsync(incident.Key, "admin");

        Assert.Empty(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal("Medium", Assert.Single(await h.OpenTasksAsync(instance.Key)).ElementId);
    }

    [Fact]
    public async Task ExclusiveGateway_ConditionReadsMissingVariable_IncidentNamesTheVariable()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ExclusiveProcess(defaultFlow: "toSmall"));

        var instance = await h.StartAsync("p");

        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Contains("amount", incident.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("toBig", incident.ErrorMessage, StringComparison.Ordinal);
    }

    private static string ParallelReview => Process("p", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:parallelGateway id="Fork" />
        {UserTask("Sales", "sales")}
        {UserTask("Planning", "planning")}
        {UserTask("Quality", "quality")}
        <bpmn:parallelGateway id="Join" />
        {UserTask("Approve", "dept-manager")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Fork")}
        {Flow("a1", "Fork", "Sales")}
        {Flow("b1", "Fork", "Planning")}
        {Flow("c1", "Fork", "Quality")}
        {Flow("a2", "Sales", "Join")}
        {Flow("b2", "Planning", "Join")}
        {Flow("c2", "Quality", "Join")}
        {Flow("f1", "Join", "Approve")}
        {Flow("f2", "Approve", "End")}
        """);

    [Fact]
    public async Task ParallelGateway_ForkAndJoin_JoinWaitsForEveryBranch()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ParallelReview);
        var instance = await h.StartAsync("p");
        Assert.Equal(3, (await h.OpenTasksAsync(instance.Key)).Count);

        await h.CompleteTaskAsync(instance.Key, "Sales");
        await h.CompleteTaskAsync(instance.Key, "Quality");
        Assert.DoesNotContain(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Approve");

        await h.CompleteTaskAsync(instance.Key, "Planning");
        Assert.Equal("Approve", Assert.Single(await h.OpenTasksAsync(instance.Key)).ElementId);
        await h.CompleteTaskAsync(instance.Key, "Approve");
        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(instance.Key)).Status);
    }

    [Fact]
    public async Task ParallelGateway_TwoTokensOnOneIncomingFlow_JoinConsumesOneRoundAndKeepsTheExtra()
    {
        // Branch A splits, and both halves merge onto the same flow "m" into the join: two tokens arrive on "m"
        // before B's single token; one round joins, the extra token waits for the next round.
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:parallelGateway id="Fork" />
            {UserTask("A")}
            <bpmn:parallelGateway id="Split" />
            {UserTask("A2")}
            <bpmn:exclusiveGateway id="Merge" />
            {UserTask("B")}
            <bpmn:parallelGateway id="Join" />
            {UserTask("After")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Fork")}
            {Flow("toA", "Fork", "A")}
            {Flow("toB", "Fork", "B")}
            {Flow("aDone", "A", "Split")}
            {Flow("s1", "Split", "A2")}
            {Flow("s2", "Split", "Merge")}
            {Flow("a2Done", "A2", "Merge")}
            {Flow("m", "Merge", "Join")}
            {Flow("bJoin", "B", "Join")}
            {Flow("f1", "Join", "After")}
            {Flow("f2", "After", "End")}
            """));
        var instance = await h.StartAsync("p");

        await h.CompleteTaskAsync(instance.Key, "A");
        await h.CompleteTaskAsync(instance.Key, "A2");
        Assert.Equal(["m", "m"], (await h.InstanceAsync(instance.Key)).JoinArrivals["Join"]);
        Assert.DoesNotContain(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "After");

        await h.CompleteTaskAsync(instance.Key, "B");

        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "After");
        Assert.Equal(["m"], (await h.InstanceAsync(instance.Key)).JoinArrivals["Join"]);
        await h.CompleteTaskAsync(instance.Key, "After");
        Assert.Equal(InstanceStatus.Active, (await h.InstanceAsync(instance.Key)).Status); // the waiting token keeps it open
    }

    // ------------------------------------------------------------------ service and send tasks

    private static string ServiceProcess(string taskXml, string? boundary = null, string? errorDefinitions = null) => Process("p", $"""
        <bpmn:startEvent id="Start" />
        {taskXml}
        {boundary}
        {UserTask("Next")}
        <bpmn:endEvent id="End" />
        {(boundary is null ? "" : UserTask("Handled"))}
        {(boundary is null ? "" : """<bpmn:endEvent id="End2" />""")}
        {Flow("f0", "Start", "Check")}
        {Flow("f1", "Check", "Next")}
        {Flow("f2", "Next", "End")}
        {(boundary is null ? "" : Flow("b1", "Caught", "Handled"))}
        {(boundary is null ? "" : Flow("b2", "Handled", "End2"))}
        """, errorDefinitions);

    [Fact]
    public async Task ServiceTask_HandlerCompletes_JobRunsOnceAndVariablesArrive()
    {
        var handler = new DelegateTaskHandler("credit-check", ctx => TaskOutcome.Complete(Json($$"""{"creditOk":true,"checked":{{ctx.Variables["amount"]}}}""")));
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess(ServiceTask("Check", "credit-check", """<zeebe:taskHeaders><zeebe:header key="limit" value="5" /></zeebe:taskHeaders>""")));
        var instance = await h.StartAsync("p", """{"amount":42}""");
        Assert.Single(await h.JobsAsync(instance.Key));

        await h.RunDueJobsAsync();

        Assert.Equal(1, handler.Calls);
        var state = await h.InstanceAsync(instance.Key);
        Assert.Equal("true", Var(state, "creditOk"));
        Assert.Equal("42", Var(state, "checked"));
        Assert.Empty(await h.JobsAsync(instance.Key));
        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Next");
    }

    [Fact]
    public async Task SendTask_HandlerCompletes_Continues()
    {
        var handler = new DelegateTaskHandler("notify", _ => TaskOutcome.Complete());
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess("""<bpmn:sendTask id="Check"><bpmn:extensionElements><zeebe:taskDefinition type="notify" /></bpmn:extensionElements></bpmn:sendTask>"""));
        var instance = await h.StartAsync("p");

        await h.RunDueJobsAsync();

        Assert.Equal(1, handler.Calls);
        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Next");
    }

    [Fact]
    public async Task ServiceTask_HandlerKeepsFailing_RetriedWithBackoffThenIncidentThenRetrySucceeds()
    {
        var fail = true;
        var handler = new DelegateTaskHandler("flaky", _ => fail ? TaskOutcome.Fail("ERP not reachable") : TaskOutcome.Complete());
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess("""<bpmn:serviceTask id="Check"><bpmn:extensionElements><zeebe:taskDefinition type="flaky" retries="3" /></bpmn:extensionElements></bpmn:serviceTask>"""));
        var instance = await h.StartAsync("p");

        await h.RunDueJobsAsync();
        Assert.Equal(1, handler.Calls);
        Assert.Empty(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(0, await h.RunDueJobsAsync());     // backing off: nothing due yet

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Equal(3, handler.Calls);
        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(IncidentTypes.JobNoRetries, incident.ErrorType);
        Assert.Contains("ERP not reachable", incident.ErrorMessage, StringComparison.Ordinal);

        fail = false;
        await h.Runtime.ResolveIncidentAsync(incident.Key, "admin");
        await h.RunDueJobsAsync();
        Assert.Equal(4, handler.Calls);
        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Next");
    }

    [Fact]
    public async Task ServiceTask_IncidentResolvedAndStillFailing_RunsTheDefinitionsRetriesAgain()
    {
        var handler = new DelegateTaskHandler("flaky", _ => TaskOutcome.Fail("still down"));
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess("""<bpmn:serviceTask id="Check"><bpmn:extensionElements><zeebe:taskDefinition type="flaky" retries="2" /></bpmn:extensionElements></bpmn:serviceTask>"""));
        var instance = await h.StartAsync("p");
        await h.RunDueJobsAsync();
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        var first = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(2, handler.Calls);

        await h.Runtime.ResolveIncidentAsync(first.Key, "admin");
        await h.RunDueJobsAsync();
        Assert.Empty(await h.ActiveIncidentsAsync(instance.Key));
        await h.AdvanceAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(4, handler.Calls);
        Assert.NotEqual(first.Key, Assert.Single(await h.ActiveIncidentsAsync(instance.Key)).Key);
    }

    [Fact]
    public async Task ServiceTask_BpmnErrorWithBoundary_InterruptsAndTakesErrorPath()
    {
        var handler = new DelegateTaskHandler("credit-check", _ => TaskOutcome.Error("CREDIT_REFUSED", "over limit"));
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess(
            ServiceTask("Check", "credit-check"),
            """<bpmn:boundaryEvent id="Caught" attachedToRef="Check"><bpmn:errorEventDefinition errorRef="Err" /></bpmn:boundaryEvent>""",
            """<bpmn:error id="Err" name="Credit refused" errorCode="CREDIT_REFUSED" />"""));
        var instance = await h.StartAsync("p");

        await h.RunDueJobsAsync();

        Assert.Equal("Handled", Assert.Single(await h.OpenTasksAsync(instance.Key)).ElementId);
        Assert.Empty(await h.ActiveIncidentsAsync(instance.Key));
    }

    [Fact]
    public async Task ServiceTask_BpmnErrorWithoutCatcher_Incident()
    {
        var handler = new DelegateTaskHandler("credit-check", _ => TaskOutcome.Error("UNKNOWN_CODE"));
        await using var h = await HarnessAsync(handler);
        await h.DeployAsync(ServiceProcess(ServiceTask("Check", "credit-check")));
        var instance = await h.StartAsync("p");

        await h.RunDueJobsAsync();

        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(IncidentTypes.UnhandledErrorEvent, incident.ErrorType);
        Assert.Contains("UNKNOWN_CODE", incident.ErrorMessage, StringComparison.Ordinal);
    }

    // ------------------------------------------------------------------ timers

    [Fact]
    public async Task TimerCatchEvent_Duration_FiresOnlyWhenDue()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:intermediateCatchEvent id="Wait"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT2H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            {UserTask("After")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Wait")}
            {Flow("f1", "Wait", "After")}
            {Flow("f2", "After", "End")}
            """));
        var instance = await h.StartAsync("p");
        var job = Assert.Single(await h.JobsAsync(instance.Key));
        Assert.Equal(Tuesday10.AddHours(2), job.DueAt);

        await h.AdvanceAsync(TimeSpan.FromMinutes(119));
        Assert.Empty(await h.OpenTasksAsync(instance.Key));

        await h.AdvanceAsync(TimeSpan.FromMinutes(1));
        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "After");
        Assert.Empty(await h.JobsAsync(instance.Key));
    }

    [Fact]
    public async Task TimerCatchEvent_DateFromWorkingDayExpression_DueOnPreviousWorkingDay()
    {
        // Inspection notice: delivery 2026-10-08 minus 7 days is Thursday 10-01, a holiday → previous working day Wed 09-30.
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:intermediateCatchEvent id="Notice"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=date and time(workingDayOnOrBefore(date(deliveryDate) - duration("P7D")), time("08:30:00@Asia/Shanghai"))</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:intermediateCatchEvent>
            {UserTask("Inspect", "quality")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Notice")}
            {Flow("f1", "Notice", "Inspect")}
            {Flow("f2", "Inspect", "End")}
            """));

        var instance = await h.StartAsync("p", """{"deliveryDate":"2026-10-08"}""");

        var job = Assert.Single(await h.JobsAsync(instance.Key));
        Assert.Equal(new DateTimeOffset(2026, 9, 30, 8, 30, 0, TimeSpan.FromHours(8)), job.DueAt);
    }

    private static string TaskWithBoundaryTimer(bool interrupting, string timer) => Process("p", $"""
        <bpmn:startEvent id="Start" />
        {UserTask("Review")}
        <bpmn:boundaryEvent id="Late" attachedToRef="Review" cancelActivity="{(interrupting ? "true" : "false")}"><bpmn:timerEventDefinition>{timer}</bpmn:timerEventDefinition></bpmn:boundaryEvent>
        {UserTask("Escalate", "dept-manager")}
        <bpmn:endEvent id="End" />
        <bpmn:endEvent id="EscalatedEnd" />
        {Flow("f0", "Start", "Review")}
        {Flow("f1", "Review", "End")}
        {Flow("b1", "Late", "Escalate")}
        {Flow("b2", "Escalate", "EscalatedEnd")}
        """);

    [Fact]
    public async Task BoundaryTimer_FiresBeforeTaskCompleted_InterruptsTaskAndTakesTimerPath()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(TaskWithBoundaryTimer(true, """<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT4H</bpmn:timeDuration>"""));
        var instance = await h.StartAsync("p");
        var review = await h.SingleOpenTaskAsync(instance.Key, "Review");

        await h.AdvanceAsync(TimeSpan.FromHours(4));

        Assert.Equal("Escalate", Assert.Single(await h.OpenTasksAsync(instance.Key)).ElementId);
        var ended = Assert.Single(await h.AllTasksAsync(instance.Key), t => t.Key == review.Key);
        Assert.Equal(UserTaskState.Canceled, ended.State);
        await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.CompleteUserTaskAsync(review.Key, null, "alice"));
    }

    [Fact]
    public async Task BoundaryTimer_TaskCompletedFirst_TimerCanceledAndNeverFires()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(TaskWithBoundaryTimer(true, """<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT4H</bpmn:timeDuration>"""));
        var instance = await h.StartAsync("p");

        await h.AdvanceAsync(TimeSpan.FromHours(3));
        await h.CompleteTaskAsync(instance.Key, "Review");
        Assert.Empty(await h.JobsAsync(instance.Key));
        await h.AdvanceAsync(TimeSpan.FromHours(2));

        var state = await h.InstanceAsync(instance.Key);
        Assert.Equal(InstanceStatus.Completed, state.Status);
        Assert.DoesNotContain(await h.AuditAsync(instance.Key), a => a.Kind == AuditKinds.TimerFired);
    }

    [Fact]
    public async Task BoundaryTimer_NonInterruptingCycle_FiresEachRepetitionWhileTaskWaits()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(TaskWithBoundaryTimer(false, """<bpmn:timeCycle xsi:type="bpmn:tFormalExpression">R2/PT1H</bpmn:timeCycle>"""));
        var instance = await h.StartAsync("p");

        await h.AdvanceAsync(TimeSpan.FromHours(1));
        await h.AdvanceAsync(TimeSpan.FromHours(1));
        await h.AdvanceAsync(TimeSpan.FromHours(1));

        var open = await h.OpenTasksAsync(instance.Key);
        Assert.Single(open, t => t.ElementId == "Review");
        Assert.Equal(2, open.Count(t => t.ElementId == "Escalate"));
        Assert.Empty(await h.JobsAsync(instance.Key));
    }

    [Fact]
    public async Task TimerDependingOnVariable_VariableChanges_TimerIsRecomputed()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Produce", "planning")}
            <bpmn:boundaryEvent id="Notice" attachedToRef="Produce" cancelActivity="false"><bpmn:timerEventDefinition><bpmn:timeDate xsi:type="bpmn:tFormalExpression">=date and time(date(deliveryDate) - duration("P7D"), time("08:30:00@Asia/Shanghai"))</bpmn:timeDate></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            {UserTask("Inspect", "quality")}
            <bpmn:endEvent id="End" />
            <bpmn:endEvent id="InspectEnd" />
            {Flow("f0", "Start", "Produce")}
            {Flow("f1", "Produce", "End")}
            {Flow("n1", "Notice", "Inspect")}
            {Flow("n2", "Inspect", "InspectEnd")}
            """));
        var instance = await h.StartAsync("p", """{"deliveryDate":"2026-04-20"}""");
        Assert.Equal(new DateTimeOffset(2026, 4, 13, 8, 30, 0, TimeSpan.FromHours(8)), Assert.Single(await h.JobsAsync(instance.Key)).DueAt);

        await h.Runtime.SetVariablesAsync(instance.Key, Json("""{"deliveryDate":"2026-04-27"}"""), "sales");

        Assert.Equal(new DateTimeOffset(2026, 4, 20, 8, 30, 0, TimeSpan.FromHours(8)), Assert.Single(await h.JobsAsync(instance.Key)).DueAt);
        h.Clock.SetTo(new DateTimeOffset(2026, 4, 13, 9, 0, 0, TimeSpan.FromHours(8)));
        await h.RunDueJobsAsync();
        Assert.DoesNotContain(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Inspect");
        h.Clock.SetTo(new DateTimeOffset(2026, 4, 20, 8, 30, 0, TimeSpan.FromHours(8)));
        await h.RunDueJobsAsync();
        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Inspect");
        Assert.Contains(await h.AuditAsync(instance.Key), a => a.Kind == AuditKinds.TimerRescheduled);
    }

    // ------------------------------------------------------------------ messages

    private const string PaymentMessage = """
        <bpmn:message id="Msg_Paid" name="payment-received"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderNo" /></bpmn:extensionElements></bpmn:message>
        """;

    private static string WaitForPayment => Process("p", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:intermediateCatchEvent id="Paid"><bpmn:messageEventDefinition messageRef="Msg_Paid" /></bpmn:intermediateCatchEvent>
        {UserTask("Produce", "planning")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Paid")}
        {Flow("f1", "Paid", "Produce")}
        {Flow("f2", "Produce", "End")}
        """, PaymentMessage);

    [Fact]
    public async Task MessageCatchEvent_MatchingNameAndKey_CorrelatesWithVariables()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(WaitForPayment);
        var first = await h.StartAsync("p", """{"orderNo":"ORD-1"}""");
        var second = await h.StartAsync("p", """{"orderNo":"ORD-2"}""");

        var result = await h.Runtime.PublishMessageAsync("payment-received", "ORD-2", Json("""{"paidAmount":30000}"""), TimeSpan.Zero);

        Assert.Equal([second.Key], result.CorrelatedInstances);
        Assert.Empty(await h.OpenTasksAsync(first.Key));
        Assert.Single(await h.OpenTasksAsync(second.Key), t => t.ElementId == "Produce");
        Assert.Equal("30000", Var(await h.InstanceAsync(second.Key), "paidAmount"));
    }

    [Fact]
    public async Task Message_PublishedBeforeSubscriptionWithTimeToLive_IsNotLost()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(WaitForPayment);

        await h.Runtime.PublishMessageAsync("payment-received", "ORD-7", Json("""{"paidAmount":1}"""), TimeSpan.FromHours(1));
        h.Clock.Advance(TimeSpan.FromMinutes(30));
        var instance = await h.StartAsync("p", """{"orderNo":"ORD-7"}""");

        Assert.Single(await h.OpenTasksAsync(instance.Key), t => t.ElementId == "Produce");
    }

    [Fact]
    public async Task Message_PublishedWithoutTimeToLiveOrExpired_DoesNotCorrelateLater()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(WaitForPayment);

        await h.Runtime.PublishMessageAsync("payment-received", "ORD-8", null, TimeSpan.Zero);
        await h.Runtime.PublishMessageAsync("payment-received", "ORD-9", null, TimeSpan.FromMinutes(10));
        h.Clock.Advance(TimeSpan.FromMinutes(11));
        var eight = await h.StartAsync("p", """{"orderNo":"ORD-8"}""");
        var nine = await h.StartAsync("p", """{"orderNo":"ORD-9"}""");

        Assert.Empty(await h.OpenTasksAsync(eight.Key));
        Assert.Empty(await h.OpenTasksAsync(nine.Key));
    }

    [Fact]
    public async Task Message_CorrelateWithNothingWaiting_NotFound()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(WaitForPayment);

        var e = await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.CorrelateMessageAsync("payment-received", "nobody", null));

        Assert.Equal(RejectionCodes.NotFound, e.Code);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task MessageBoundary_Correlated_InterruptsOrRunsBeside(bool interrupting)
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Produce", "planning")}
            <bpmn:boundaryEvent id="Changed" attachedToRef="Produce" cancelActivity="{(interrupting ? "true" : "false")}"><bpmn:messageEventDefinition messageRef="Msg_Change" /></bpmn:boundaryEvent>
            {UserTask("HandleChange")}
            <bpmn:endEvent id="End" />
            <bpmn:endEvent id="ChangeEnd" />
            {Flow("f0", "Start", "Produce")}
            {Flow("f1", "Produce", "End")}
            {Flow("c1", "Changed", "HandleChange")}
            {Flow("c2", "HandleChange", "ChangeEnd")}
            """, """<bpmn:message id="Msg_Change" name="order-changed"><bpmn:extensionElements><zeebe:subscription correlationKey="=orderNo" /></bpmn:extensionElements></bpmn:message>"""));
        var instance = await h.StartAsync("p", """{"orderNo":"ORD-3"}""");

        await h.Runtime.CorrelateMessageAsync("order-changed", "ORD-3", Json("""{"newDeliveryDate":"2026-05-01"}"""));

        var open = (await h.OpenTasksAsync(instance.Key)).Select(t => t.ElementId).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(interrupting ? ["HandleChange"] : ["HandleChange", "Produce"], open);
        Assert.Equal("\"2026-05-01\"", Var(await h.InstanceAsync(instance.Key), "newDeliveryDate"));
    }

    [Fact]
    public async Task MessageStartEvent_Published_StartsInstance()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start"><bpmn:messageEventDefinition messageRef="Msg_Order" /></bpmn:startEvent>
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """, """<bpmn:message id="Msg_Order" name="order-received" />"""));

        var result = await h.Runtime.PublishMessageAsync("order-received", "ORD-5", Json("""{"orderNo":"ORD-5"}"""), TimeSpan.Zero);

        var key = Assert.Single(result.CorrelatedInstances);
        Assert.Single(await h.OpenTasksAsync(key), t => t.ElementId == "Review");
        Assert.Equal("ORD-5", (await h.InstanceAsync(key)).BusinessKey);
    }

    // ------------------------------------------------------------------ call activities

    private static string ChildProcess => Process("child", $"""
        <bpmn:startEvent id="CStart" />
        {UserTask("ChildTask")}
        <bpmn:endEvent id="CEnd" />
        {Flow("c0", "CStart", "ChildTask")}
        {Flow("c1", "ChildTask", "CEnd")}
        """);

    private static string ParentProcess(string calledElement, string? io = null) => Process("parent", $"""
        <bpmn:startEvent id="Start" />
        <bpmn:callActivity id="Call"><bpmn:extensionElements>{calledElement}{io}</bpmn:extensionElements></bpmn:callActivity>
        {UserTask("After")}
        <bpmn:endEvent id="End" />
        {Flow("f0", "Start", "Call")}
        {Flow("f1", "Call", "After")}
        {Flow("f2", "After", "End")}
        """);

    [Fact]
    public async Task CallActivity_ChildCompletes_ParentContinuesWithChildVariables()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ChildProcess, "child.bpmn");
        await h.DeployAsync(ParentProcess("""<zeebe:calledElement processId="child" />"""), "parent.bpmn");
        var parent = await h.StartAsync("parent", """{"orderNo":"ORD-9"}""", "ORD-9");

        var child = Assert.Single(await h.ChildrenAsync(parent.Key));
        Assert.Equal("\"ORD-9\"", Var(child, "orderNo"));
        Assert.Equal("ORD-9", child.BusinessKey);
        await h.CompleteTaskAsync(child.Key, "ChildTask", """{"nc":"closed"}""");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(child.Key)).Status);
        Assert.Single(await h.OpenTasksAsync(parent.Key), t => t.ElementId == "After");
        Assert.Equal("\"closed\"", Var(await h.InstanceAsync(parent.Key), "nc"));
    }

    [Fact]
    public async Task CallActivity_OutputMappingWithoutPropagation_OnlyMappedVariablesReturn()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ChildProcess, "child.bpmn");
        await h.DeployAsync(ParentProcess(
            """<zeebe:calledElement processId="child" propagateAllChildVariables="false" />""",
            """<zeebe:ioMapping><zeebe:output source="=nc" target="ncResult" /></zeebe:ioMapping>"""), "parent.bpmn");
        var parent = await h.StartAsync("parent");
        var child = Assert.Single(await h.ChildrenAsync(parent.Key));

        await h.CompleteTaskAsync(child.Key, "ChildTask", """{"nc":"closed","noise":1}""");

        var state = await h.InstanceAsync(parent.Key);
        Assert.Equal("\"closed\"", Var(state, "ncResult"));
        Assert.Null(state.Variables["noise"]);
        Assert.Null(state.Variables["nc"]);
    }

    [Fact]
    public async Task CallActivity_CalledProcessMissing_IncidentThenDeployAndRetry()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ParentProcess("""<zeebe:calledElement processId="child" />"""), "parent.bpmn");
        var parent = await h.StartAsync("parent");
        var incident = Assert.Single(await h.ActiveIncidentsAsync(parent.Key));
        Assert.Equal(IncidentTypes.CalledElementError, incident.ErrorType);

        await h.DeployAsync(ChildProcess, "child.bpmn");
        await h.Runtime.ResolveIncidentAsync(incident.Key, "admin");

        Assert.Single(await h.ChildrenAsync(parent.Key));
        Assert.Empty(await h.ActiveIncidentsAsync(parent.Key));
    }

    [Fact]
    public async Task CallActivity_ParentCanceled_ChildCanceledToo()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(ChildProcess, "child.bpmn");
        await h.DeployAsync(ParentProcess("""<zeebe:calledElement processId="child" />"""), "parent.bpmn");
        var parent = await h.StartAsync("parent");
        var child = Assert.Single(await h.ChildrenAsync(parent.Key));

        await h.Runtime.CancelInstanceAsync(parent.Key, "gm");

        Assert.Equal(InstanceStatus.Terminated, (await h.InstanceAsync(parent.Key)).Status);
        Assert.Equal(InstanceStatus.Terminated, (await h.InstanceAsync(child.Key)).Status);
        Assert.Empty(await h.OpenTasksAsync(child.Key));
    }

    // ------------------------------------------------------------------ ending: terminate and cancel

    [Fact]
    public async Task TerminateEndEvent_Reached_EndsEveryBranchTaskAndTimer()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:parallelGateway id="Fork" />
            {UserTask("Decide")}
            {UserTask("Other")}
            <bpmn:boundaryEvent id="Late" attachedToRef="Other"><bpmn:timerEventDefinition><bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT1H</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>
            <bpmn:endEvent id="Kill"><bpmn:terminateEventDefinition /></bpmn:endEvent>
            <bpmn:endEvent id="End" />
            <bpmn:endEvent id="LateEnd" />
            {Flow("f0", "Start", "Fork")}
            {Flow("a", "Fork", "Decide")}
            {Flow("b", "Fork", "Other")}
            {Flow("a1", "Decide", "Kill")}
            {Flow("b1", "Other", "End")}
            {Flow("l1", "Late", "LateEnd")}
            """));
        var instance = await h.StartAsync("p");

        await h.CompleteTaskAsync(instance.Key, "Decide");

        Assert.Equal(InstanceStatus.Completed, (await h.InstanceAsync(instance.Key)).Status);
        Assert.Empty(await h.OpenTasksAsync(instance.Key));
        Assert.Empty(await h.JobsAsync(instance.Key));
        Assert.Contains(await h.AllTasksAsync(instance.Key), t => t.ElementId == "Other" && t.State == UserTaskState.Canceled);
    }

    [Fact]
    public async Task Cancel_RunningInstance_TasksJobsAndSubscriptionsEnd()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(TaskWithBoundaryTimer(true, """<bpmn:timeDuration xsi:type="bpmn:tFormalExpression">PT4H</bpmn:timeDuration>"""));
        var instance = await h.StartAsync("p");

        await h.Runtime.CancelInstanceAsync(instance.Key, "gm");

        Assert.Equal(InstanceStatus.Terminated, (await h.InstanceAsync(instance.Key)).Status);
        Assert.Empty(await h.OpenTasksAsync(instance.Key));
        Assert.Empty(await h.JobsAsync(instance.Key));
        await h.AdvanceAsync(TimeSpan.FromHours(5));
        Assert.Empty(await h.OpenTasksAsync(instance.Key));
        var again = await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.CancelInstanceAsync(instance.Key, "gm"));
        Assert.Equal(RejectionCodes.NotFound, again.Code);
    }

    // ------------------------------------------------------------------ incidents from expressions

    [Fact]
    public async Task UserTask_AssigneeExpressionFails_IncidentThenSetVariableAndRetryCreatesTask()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:userTask id="Review"><bpmn:extensionElements><zeebe:assignmentDefinition assignee="=order.merchandiser" /></bpmn:extensionElements></bpmn:userTask>
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));
        var instance = await h.StartAsync("p");
        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal("Review", incident.ElementId);
        Assert.Empty(await h.OpenTasksAsync(instance.Key));

        await h.Runtime.SetVariablesAsync(instance.Key, Json("""{"order":{"merchandiser":"mia"}}"""), "admin");
        await h.Runtime.ResolveIncidentAsync(incident.Key, "admin");

        Assert.Equal("mia", (await h.SingleOpenTaskAsync(instance.Key, "Review")).Assignee);
        var again = await Assert.ThrowsAsync<CommandRejectedException>(() => h.Runtime.ResolveIncidentAsync(incident.Key, "admin"));
        Assert.Contains("already resolved", again.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OutputMappingFails_IncidentOnCompletionThenRetryCompletes()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review", extra: """<zeebe:ioMapping><zeebe:output source="=decision.code" target="code" /></zeebe:ioMapping>""")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));
        var instance = await h.StartAsync("p");

        await h.CompleteTaskAsync(instance.Key, "Review", """{"other":1}""");
        var incident = Assert.Single(await h.ActiveIncidentsAsync(instance.Key));
        Assert.Equal(IncidentTypes.IoMappingError, incident.ErrorType);

        await h.Runtime.SetVariablesAsync(instance.Key, Json("""{"decision":{"code":"A"}}"""), "admin");
        await h.Runtime.ResolveIncidentAsync(incident.Key, "admin");

        var done = await h.InstanceAsync(instance.Key);
        Assert.Equal(InstanceStatus.Completed, done.Status);
        Assert.Equal("\"A\"", Var(done, "code"));
    }

    // ------------------------------------------------------------------ deployment and versions

    [Fact]
    public async Task Deploy_SameContentTwice_NoNewVersion_ChangedContent_NextVersionAndRunningInstancesKeepTheirs()
    {
        await using var h = await HarnessAsync();
        var v1Xml = Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review", extra: """<zeebe:taskSchedule dueDate="=addWorkingDays(now(), 1)" />""")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """);
        var v1 = await h.DeployAsync(v1Xml);
        var again = await h.DeployAsync(v1Xml);
        Assert.Equal(1, v1.Version);
        Assert.Equal(v1.Key, again.Key);
        var old = await h.StartAsync("p");

        var v2 = await h.DeployAsync(v1Xml.Replace("addWorkingDays(now(), 1)", "addWorkingDays(now(), 2)", StringComparison.Ordinal));
        var fresh = await h.StartAsync("p");

        Assert.Equal(2, v2.Version);
        Assert.Equal(1, (await h.InstanceAsync(old.Key)).Version);
        Assert.Equal(2, (await h.InstanceAsync(fresh.Key)).Version);
        Assert.Equal(Tuesday10.AddDays(1), (await h.SingleOpenTaskAsync(old.Key, "Review")).DueDate);
        Assert.Equal(Tuesday10.AddDays(2), (await h.SingleOpenTaskAsync(fresh.Key, "Review")).DueDate);
    }

    [Fact]
    public async Task Deploy_InvalidDefinition_RefusedWithEveryProblemAndNothingDeployed()
    {
        await using var h = await HarnessAsync();
        var bad = Process("bad", $"""
            <bpmn:startEvent id="Start" />
            <bpmn:userTask id="NoAssignment" />
            <bpmn:inclusiveGateway id="Inclusive" />
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "NoAssignment")}
            {Flow("f1", "NoAssignment", "Inclusive")}
            {Flow("f2", "Inclusive", "End")}
            """);

        var e = await Assert.ThrowsAsync<BpmnValidationException>(() => h.DeployAsync(bad));

        Assert.True(e.Problems.Count >= 2);
        Assert.Contains(e.Problems, p => p.ElementId == "NoAssignment");
        Assert.Contains(e.Problems, p => p.ElementId == "Inclusive");
        var start = await Assert.ThrowsAsync<CommandRejectedException>(() => h.StartAsync("bad"));
        Assert.Equal(RejectionCodes.NotFound, start.Code);
    }

    // ------------------------------------------------------------------ working time and audit

    [Fact]
    public async Task DueDate_OneWorkingDayBeforeHolidayBlock_LandsAfterTheBlock()
    {
        await using var h = await HarnessAsync();
        h.Clock.SetTo(new DateTimeOffset(2026, 9, 30, 16, 0, 0, TimeSpan.FromHours(8)));
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review", extra: """<zeebe:taskSchedule dueDate="=addWorkingDays(now(), 1)" />""")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));

        var instance = await h.StartAsync("p");

        // National Day Oct 1–7 is off; Oct 8 (Thursday) is the next working day.
        Assert.Equal(new DateTimeOffset(2026, 10, 8, 16, 0, 0, TimeSpan.FromHours(8)), (await h.SingleOpenTaskAsync(instance.Key, "Review")).DueDate);
    }

    [Fact]
    public async Task DueDate_InYearWithoutHolidayData_AuditWarnsAndTaskStillCreated()
    {
        await using var h = await HarnessAsync();
        h.Clock.SetTo(new DateTimeOffset(2027, 3, 10, 10, 0, 0, TimeSpan.FromHours(8)));
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review", extra: """<zeebe:taskSchedule dueDate="=addWorkingDays(now(), 1)" />""")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));

        var instance = await h.StartAsync("p");

        Assert.NotNull((await h.SingleOpenTaskAsync(instance.Key, "Review")).DueDate);
        var warning = Assert.Single(await h.AuditAsync(instance.Key), a => a.Kind == AuditKinds.CalendarWarning);
        Assert.Contains("2027", warning.Details!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_EveryStep_RecordsWhatWhereWhoAndWhen()
    {
        await using var h = await HarnessAsync();
        await h.DeployAsync(Process("p", $"""
            <bpmn:startEvent id="Start" />
            {UserTask("Review")}
            <bpmn:endEvent id="End" />
            {Flow("f0", "Start", "Review")}
            {Flow("f1", "Review", "End")}
            """));
        var instance = await h.StartAsync("p", """{"a":1}""");
        h.Clock.Advance(TimeSpan.FromMinutes(5));

        await h.CompleteTaskAsync(instance.Key, "Review", """{"b":2}""", actor: "alice");

        var audit = await h.AuditAsync(instance.Key);
        var kinds = audit.Select(a => a.Kind).ToList();
        Assert.Equal(AuditKinds.InstanceStarted, kinds[0]);
        Assert.Equal(AuditKinds.InstanceCompleted, kinds[^1]);
        var completed = Assert.Single(audit, a => a.Kind == AuditKinds.UserTaskCompleted);
        Assert.Equal("alice", completed.Actor);
        Assert.Equal("Review", completed.ElementId);
        Assert.Equal(Tuesday10.AddMinutes(5), completed.At);
        var changed = audit.Where(a => a.Kind == AuditKinds.VariablesChanged).Select(a => a.Details!["variables"]!.ToJsonString()).ToList();
        Assert.Equal(["[\"a\"]", "[\"b\"]"], changed);
        Assert.Equal(string.Format(CultureInfo.InvariantCulture, "{0}", "starter"), audit[0].Actor);
    }
}
