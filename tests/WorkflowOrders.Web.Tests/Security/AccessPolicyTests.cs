using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Tests.Security;

public sealed class AccessPolicyTests
{
    private static ClaimsPrincipal User(string name, params string[] roles) =>
        new(new ClaimsIdentity([new Claim(ClaimTypes.Name, name), .. roles.Select(r => new Claim(ClaimTypes.Role, r))], "test"));

    private static UserTaskRow Task(string? assignee = null, string? groups = null, string? users = null, UserTaskState state = UserTaskState.Created) => new()
    {
        ElementId = "review_planning",
        BpmnProcessId = "order",
        Assignee = assignee,
        CandidateGroups = groups,
        CandidateUsers = users,
        State = state,
    };

    [Fact]
    public void Claim_MemberOfCandidateGroup_IsAllowed() =>
        Assert.True(AccessPolicy.CanClaimTask(User("zheng.li", Roles.Planning), Task(groups: "[\"planning\"]")).Allowed);

    [Fact]
    public void Claim_CandidateUser_IsAllowed() =>
        Assert.True(AccessPolicy.CanClaimTask(User("chen.jing", Roles.Merchandiser), Task(users: "[\"chen.jing\"]")).Allowed);

    [Fact]
    public void Claim_OtherRole_IsDeniedWithReason()
    {
        var decision = AccessPolicy.CanClaimTask(User("zhang.wei", Roles.Sales), Task(groups: "[\"planning\"]"));

        Assert.False(decision.Allowed);
        Assert.Equal(AccessPolicy.NotCandidate, decision.Code);
        Assert.Contains("offered neither to you nor to one of your roles", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_HeldByAnotherCandidate_IsDeniedNamingTheHolder()
    {
        var decision = AccessPolicy.CanClaimTask(User("zheng.li", Roles.Planning), Task(assignee: "wu.hao", groups: "[\"planning\"]"));

        Assert.Equal(AccessPolicy.AssignedToOther, decision.Code);
        Assert.Contains("wu.hao", decision.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Claim_Admin_MayTakeOverAnyOpenTask() =>
        Assert.True(AccessPolicy.CanClaimTask(User("admin", Roles.Admin), Task(assignee: "wu.hao", groups: "[\"planning\"]")).Allowed);

    [Fact]
    public void Complete_Assignee_IsAllowed() =>
        Assert.True(AccessPolicy.CanCompleteTask(User("wu.hao", Roles.Planning), Task(assignee: "wu.hao", groups: "[\"planning\"]")).Allowed);

    [Fact]
    public void Complete_CandidateWhileAnotherHoldsIt_IsDenied() =>
        Assert.Equal(AccessPolicy.AssignedToOther, AccessPolicy.CanCompleteTask(User("zheng.li", Roles.Planning), Task(assignee: "wu.hao", groups: "[\"planning\"]")).Code);

    [Fact]
    public void Complete_CandidateOfUnassignedTask_IsAllowed() =>
        Assert.True(AccessPolicy.CanCompleteTask(User("zheng.li", Roles.Planning), Task(groups: "[\"planning\"]")).Allowed);

    [Fact]
    public void Complete_AlreadyCompleted_IsDeniedNamingWhoDidIt()
    {
        var task = Task(assignee: "wu.hao", groups: "[\"planning\"]", state: UserTaskState.Completed);
        task.CompletedBy = "wu.hao";

        var decision = AccessPolicy.CanCompleteTask(User("wu.hao", Roles.Planning), task);

        Assert.Equal(AccessPolicy.NotOpen, decision.Code);
        Assert.Contains("already completed by wu.hao", decision.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Roles.Gm, true)]
    [InlineData(Roles.Director, true)]
    [InlineData(Roles.ProcessOwner, true)]
    [InlineData(Roles.Admin, true)]
    [InlineData(Roles.Sales, false)]
    [InlineData(Roles.DeptManager, false)]
    public void See_TaskOfAnotherRole_OnlyOversightRoles(string role, bool allowed) =>
        Assert.Equal(allowed, AccessPolicy.CanSeeTask(User("someone", role), Task(groups: "[\"quality\"]")).Allowed);

    [Fact]
    public void See_OversightRole_MayNotCompleteOthersTasks() =>
        Assert.False(AccessPolicy.CanCompleteTask(User("wang.jianguo", Roles.Gm), Task(groups: "[\"quality\"]")).Allowed);

    [Fact]
    public async Task ToForbiddenProblem_Denial_Is403ProblemWithReasonAndCode()
    {
        var decision = AccessPolicy.CanCompleteTask(User("zheng.li", Roles.Planning), Task(assignee: "wu.hao", groups: "[\"planning\"]"));
        var context = new DefaultHttpContext { RequestServices = new ServiceCollection().AddLogging().AddProblemDetails().BuildServiceProvider() };
        context.Response.Body = new MemoryStream();

        await decision.ToForbiddenProblem().ExecuteAsync(context);

        context.Response.Body.Position = 0;
        var body = await new StreamReader(context.Response.Body).ReadToEndAsync();
        Assert.Equal(403, context.Response.StatusCode);
        Assert.Equal("application/problem+json", context.Response.ContentType);
        Assert.Contains("\"title\":\"FORBIDDEN\"", body, StringComparison.Ordinal);
        Assert.Contains("\"code\":\"ASSIGNED_TO_OTHER\"", body, StringComparison.Ordinal);
        Assert.Contains("only the assignee may complete it", body, StringComparison.Ordinal);
    }
}
