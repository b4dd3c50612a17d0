namespace WorkflowOrders.Web.Tests.Support;

/// <summary>One demo-mode app on SQLite shared by the tests of a class (tests that change data use their own users).</summary>
public sealed class DemoAppFixture : IAsyncLifetime
{
    public WebAppFactory App { get; } = WebAppFactory.OnSqlite();

    public Task InitializeAsync()
    {
        _ = App.Server;
        return Task.CompletedTask;
    }

    public async Task DisposeAsync() => await App.DisposeAsync();

    /// <summary>A browser-like client (cookies, no automatic redirects) signed in as the user.</summary>
    public async Task<HttpClient> SignedInAsync(string user, string language = "zh-CN")
    {
        var client = App.CreateBrowserClient();
        client.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        using var response = await client.SignInAsync(user, WorkflowOrders.Web.People.DemoCompany.Password);
        return response.StatusCode == System.Net.HttpStatusCode.Redirect
            ? client
            : throw new InvalidOperationException($"Sign-in as {user} answered {(int)response.StatusCode}.");
    }
}
