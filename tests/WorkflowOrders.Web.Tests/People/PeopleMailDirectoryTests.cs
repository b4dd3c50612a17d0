using Microsoft.Extensions.DependencyInjection;
using WorkflowOrders.Email;
using WorkflowOrders.Web.Tests.Support;

namespace WorkflowOrders.Web.Tests.People;

public sealed class PeopleMailDirectoryTests(DemoAppFixture fixture) : IClassFixture<DemoAppFixture>
{
    [Fact]
    public async Task UsersInRoles_QualityAndFinance_ReturnsEveryHolderOnceWithEmailLanguageAndDepartment()
    {
        var directory = fixture.App.Services.GetRequiredService<IMailDirectory>();

        var recipients = await directory.UsersInRolesAsync(["quality", "finance"], CancellationToken.None);

        Assert.Equal(["gao.yan", "hu.yun", "huang.qiang", "lin.fang", "zhu.hong"], recipients.Select(r => r.UserName));
        var lin = recipients.Single(r => r.UserName == "lin.fang");
        Assert.Equal("lin.fang@example.com", lin.Email);
        Assert.Equal("zh-CN", lin.Language);
        Assert.Equal("quality", lin.DepartmentKey);
    }

    [Fact]
    public async Task User_UnknownName_ReturnsNull()
    {
        var directory = fixture.App.Services.GetRequiredService<IMailDirectory>();

        Assert.Null(await directory.UserAsync("nobody.here", CancellationToken.None));
        Assert.Equal("王建国", (await directory.UserAsync("wang.jianguo", CancellationToken.None))?.DisplayName);
    }

    [Theory]
    [InlineData("merchandiser", "sales", "liu.yang")]
    [InlineData("quality", "quality", "lin.fang")]
    [InlineData("gm", "gm-office", "wang.jianguo")]
    public async Task DepartmentOfRole_DemoCompany_IsWhereTheHoldersWorkAndHasTheManager(string role, string department, string manager)
    {
        var directory = fixture.App.Services.GetRequiredService<IMailDirectory>();

        var found = await directory.DepartmentOfRoleAsync(role, CancellationToken.None);
        var head = await directory.ManagerOfDepartmentAsync(found!, CancellationToken.None);

        Assert.Equal(department, found);
        Assert.Equal(manager, head?.UserName);
    }
}
