using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using WorkflowOrders.Persistence;

namespace WorkflowOrders.Web.People;

/// <summary>
/// Users, roles, departments and API tokens: ASP.NET Core Identity's EF store in the runtime's database, as a second
/// context with its own migrations history table (<see cref="HistoryTable"/>), so the runtime's schema and migrations
/// stay free of Identity (docs/people.md). Same conventions: snake_case names, UTC instants (ticks on SQLite).
/// </summary>
public sealed class PeopleDbContext(DbContextOptions<PeopleDbContext> options) : IdentityDbContext<AppUser, AppRole, string>(options)
{
    public const string HistoryTable = "__people_migrations_history";

    public DbSet<Department> Departments => Set<Department>();

    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        ArgumentNullException.ThrowIfNull(configurationBuilder);
        if (Database.IsSqlite())
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcTicksConverter>();
        }
        else
        {
            configurationBuilder.Properties<DateTimeOffset>().HaveConversion<UtcNormalizingConverter>();
        }
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        base.OnModelCreating(builder);

        builder.Entity<AppUser>(e =>
        {
            e.ToTable("users");
            e.Property(x => x.DisplayName).HasMaxLength(100);
            e.Property(x => x.DepartmentKey).HasMaxLength(64);
            e.Property(x => x.PreferredLanguage).HasMaxLength(16);
            e.Property(x => x.TimeZone).HasMaxLength(64);
            e.Ignore(x => x.IsActive);
            e.HasIndex(x => x.DepartmentKey);
            e.HasOne<Department>().WithMany().HasForeignKey(x => x.DepartmentKey).OnDelete(DeleteBehavior.SetNull);
        });
        builder.Entity<AppRole>().ToTable("roles");
        builder.Entity<IdentityUserRole<string>>().ToTable("user_roles");
        builder.Entity<IdentityUserClaim<string>>().ToTable("user_claims");
        builder.Entity<IdentityUserLogin<string>>().ToTable("user_logins");
        builder.Entity<IdentityUserToken<string>>().ToTable("user_tokens");
        builder.Entity<IdentityRoleClaim<string>>().ToTable("role_claims");

        builder.Entity<Department>(e =>
        {
            e.ToTable("departments");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).HasMaxLength(64);
            e.Property(x => x.NameZh).HasMaxLength(100);
            e.Property(x => x.NameEn).HasMaxLength(100);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.ManagerUserId).OnDelete(DeleteBehavior.SetNull);
        });

        builder.Entity<ApiToken>(e =>
        {
            e.ToTable("api_tokens");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Name).HasMaxLength(100);
            e.Property(x => x.TokenHash).HasMaxLength(64);
            e.Property(x => x.Prefix).HasMaxLength(16);
            e.Ignore(x => x.IsRevoked);
            e.HasIndex(x => x.TokenHash).IsUnique();
            e.HasIndex(x => x.UserId);
            e.HasOne<AppUser>().WithMany().HasForeignKey(x => x.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        WorkflowDbContext.ApplySnakeCaseNames(builder.Model);
        NameForeignKeys(builder.Model);
    }

    /// <summary>fk_&lt;table&gt;_&lt;columns&gt;, the names the hand-written migration gives them.</summary>
    private static void NameForeignKeys(IMutableModel model)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            foreach (var key in entity.GetForeignKeys())
            {
                key.SetConstraintName($"fk_{entity.GetTableName()}_{string.Join('_', key.Properties.Select(p => p.GetColumnName()))}");
            }
        }
    }
}
