using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;
using WorkflowOrders.Web.People;

namespace WorkflowOrders.Web.Security;

/// <summary>Shared challenge and forbid answers of the API schemes: problem details, never a redirect.</summary>
public abstract class ApiAuthenticationHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    protected string? FailureDetail { get; set; }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.Headers.WWWAuthenticate = "Basic realm=\"WorkflowOrders\", Bearer";
        return ProblemResponses.WriteAsync(Context, StatusCodes.Status401Unauthorized, ProblemResponses.Unauthorized,
            FailureDetail ?? "Authentication is required: send HTTP Basic credentials or a personal API token as a Bearer token.");
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        ProblemResponses.WriteAsync(Context, StatusCodes.Status403Forbidden, ProblemResponses.Forbidden,
            "You are signed in but your roles do not allow this.");

    /// <summary>The user's Identity principal, re-labelled with this scheme (so callers can tell how a request signed in).</summary>
    protected AuthenticateResult Success(System.Security.Claims.ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var source = principal.Identities.First();
        var identity = new System.Security.Claims.ClaimsIdentity(source.Claims, Scheme.Name, source.NameClaimType, source.RoleClaimType);
        return AuthenticateResult.Success(new AuthenticationTicket(new System.Security.Claims.ClaimsPrincipal(identity), Scheme.Name));
    }

    protected AuthenticateResult Fail(string detail)
    {
        FailureDetail = detail;
        return AuthenticateResult.Fail(detail);
    }
}

/// <summary>HTTP Basic with a user's name and password; lockout and deactivation apply as at the sign-in page.</summary>
public sealed class BasicAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    SignInManager<AppUser> signIn)
    : ApiAuthenticationHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Basic", StringComparison.OrdinalIgnoreCase)
            || header.Parameter is null)
        {
            return AuthenticateResult.NoResult();
        }

        string userName, password;
        try
        {
            var text = Encoding.UTF8.GetString(Convert.FromBase64String(header.Parameter));
            var colon = text.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return Fail("The Basic credentials are not 'user:password' in base64.");
            }

            (userName, password) = (text[..colon], text[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return Fail("The Basic credentials are not valid base64.");
        }

        var user = await signIn.UserManager.FindByNameAsync(userName).ConfigureAwait(false);
        if (user is null)
        {
            return Fail("Unknown user name or wrong password.");
        }

        var result = await signIn.CheckPasswordSignInAsync(user, password, lockoutOnFailure: true).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return Fail(result.IsLockedOut ? "The account is locked after too many failed attempts; try again later."
                : result.IsNotAllowed ? "The account is deactivated."
                : "Unknown user name or wrong password.");
        }

        return Success(await signIn.CreateUserPrincipalAsync(user).ConfigureAwait(false));
    }
}

/// <summary>Bearer personal API tokens (created on the profile page, stored hashed, revocable).</summary>
public sealed class BearerTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ApiTokenService tokens,
    SignInManager<AppUser> signIn)
    : ApiAuthenticationHandler(options, logger, encoder)
{
    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!AuthenticationHeaderValue.TryParse(Request.Headers.Authorization, out var header)
            || !string.Equals(header.Scheme, "Bearer", StringComparison.OrdinalIgnoreCase)
            || string.IsNullOrWhiteSpace(header.Parameter))
        {
            return AuthenticateResult.NoResult();
        }

        var user = await tokens.ValidateAsync(header.Parameter.Trim(), Context.RequestAborted).ConfigureAwait(false);
        if (user is null)
        {
            return Fail("The API token is unknown or revoked, or its user is deactivated.");
        }

        return Success(await signIn.CreateUserPrincipalAsync(user).ConfigureAwait(false));
    }
}
