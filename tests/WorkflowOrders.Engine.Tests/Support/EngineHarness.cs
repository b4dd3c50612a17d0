using WorkflowOrders.Conformance;
using WorkflowOrders.Engine.InMemory;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Engine.Tests.Runtime;

namespace WorkflowOrders.Engine.Tests.Support;

/// <summary>
/// An in-memory harness whose task handlers may need the runtime itself (the built-in <c>message.publish</c>
/// handler publishes through it), so the handlers are made after the runtime.
/// </summary>
public static class EngineHarness
{
    public static InMemoryHarness Create(FakeClock clock, Func<WorkflowRuntime, IEnumerable<ITaskHandler>> handlers)
    {
        ArgumentNullException.ThrowIfNull(handlers);
        var store = new InMemoryWorkflowStore();
        var engine = new WorkflowEngine(new EngineServices { Time = clock, Keys = new SequentialKeyGenerator(), Calendars = WorkflowHarness.Calendars });
        var runtime = new WorkflowRuntime(engine, store);
        return new InMemoryHarness(store, new InMemoryJobRunner(runtime, store, handlers(runtime))) { Clock = clock, Runtime = runtime };
    }
}
