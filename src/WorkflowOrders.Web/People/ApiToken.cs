namespace WorkflowOrders.Web.People;

/// <summary>
/// A personal API token (Bearer). Only the SHA-256 hash of the secret is stored: the secret is shown once, when it
/// is created. A revoked token stays listed so that its owner sees when it stopped working.
/// </summary>
public sealed class ApiToken
{
    public long Id { get; set; }

    public required string UserId { get; set; }

    public required string Name { get; set; }

    /// <summary>Lower-case hex SHA-256 of the whole token text.</summary>
    public required string TokenHash { get; set; }

    /// <summary>The token's first characters, so its owner can tell tokens apart.</summary>
    public required string Prefix { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset? LastUsedAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    public bool IsRevoked => RevokedAt is not null;
}
