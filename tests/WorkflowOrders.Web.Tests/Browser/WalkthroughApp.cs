using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Testing;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.Browser;

/// <summary>
/// The browser fixture on the real procedures: the repository's workflows/ folder (order-fulfilment, order-change,
/// order-cancellation, nonconformance, their forms and the 2026 calendar), the demo company, and the company clock
/// fixed at Tuesday 2026-03-10 10:00 in Shanghai, so every deadline, countdown and timer on the pages is known.
/// The clock never moves here: no deadline or timer comes due during the walk-through.
/// </summary>
public sealed class WalkthroughApp : BrowserApp
{
    public static readonly DateTimeOffset Now = new(2026, 3, 10, 10, 0, 0, TimeSpan.FromHours(8));

    public FakeTimeProvider Clock { get; } = new(Now);

    protected override WebAppFactory CreateApp()
    {
        // Without a WorkflowsDirectory setting the app deploys appsettings.json's ../../workflows: the repository's folder.
        var app = WebAppFactory.OnSqlite();
        app.TestServices = s => s.AddSingleton<TimeProvider>(Clock);
        return app;
    }
}
