using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using WorkflowOrders.Persistence.Entities;
using WorkflowOrders.Persistence.Orders;

namespace WorkflowOrders.Persistence;

/// <summary>
/// The runtime's database, on PostgreSQL or SQLite. Names are snake_case; instants are UTC (timestamptz on
/// PostgreSQL, INTEGER ticks on SQLite). The schema comes from the hand-written migrations in <c>Migrations/</c>.
/// </summary>
public sealed class WorkflowDbContext : DbContext
{
    public WorkflowDbContext(DbContextOptions<WorkflowDbContext> options)
        : base(options)
    {
        // EF would wrap every SaveChanges inside a transaction in a savepoint (two more round trips each) so that the
        // transaction stays usable after a failed save. Nothing here goes on after a failed save: the unit of work or
        // job transaction is rolled back and thrown away (and PostgreSQL aborts the transaction anyway).
        Database.AutoSavepointsEnabled = false;
    }

    public DbSet<ProcessDefinitionRow> ProcessDefinitions => Set<ProcessDefinitionRow>();
    public DbSet<FormRow> Forms => Set<FormRow>();
    public DbSet<ProcessInstanceRow> ProcessInstances => Set<ProcessInstanceRow>();
    public DbSet<UserTaskRow> UserTasks => Set<UserTaskRow>();
    public DbSet<UserTaskCandidateRow> UserTaskCandidates => Set<UserTaskCandidateRow>();
    public DbSet<JobRow> Jobs => Set<JobRow>();
    public DbSet<MessageSubscriptionRow> MessageSubscriptions => Set<MessageSubscriptionRow>();
    public DbSet<BufferedMessageRow> BufferedMessages => Set<BufferedMessageRow>();
    public DbSet<IncidentRow> Incidents => Set<IncidentRow>();
    public DbSet<AuditEventRow> AuditEvents => Set<AuditEventRow>();
    public DbSet<OrderRow> Orders => Set<OrderRow>();
    public DbSet<OrderLineRow> OrderLines => Set<OrderLineRow>();
    public DbSet<OrderEventRow> OrderEvents => Set<OrderEventRow>();
    public DbSet<OutboxMessageRow> OutboxMessages => Set<OutboxMessageRow>();
    public DbSet<CalendarRow> Calendars => Set<CalendarRow>();
    public DbSet<DesignDraftRow> DesignDrafts => Set<DesignDraftRow>();
    public DbSet<OrderDocumentRow> OrderDocuments => Set<OrderDocumentRow>();

    internal bool IsSqlite => Database.IsSqlite();

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        BumpRevisions();
        try
        {
            return base.SaveChanges(acceptAllChangesOnSuccess);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw Conflict(ex);
        }
    }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        BumpRevisions();
        try
        {
            return await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken).ConfigureAwait(false);
        }
        catch (DbUpdateConcurrencyException ex)
        {
            throw Conflict(ex);
        }
    }

    private void BumpRevisions()
    {
        foreach (var entry in ChangeTracker.Entries<IRevisioned>())
        {
            if (entry.State == EntityState.Added && entry.Entity.Revision == 0)
            {
                entry.Entity.Revision = 1;
            }
            else if (entry.State == EntityState.Modified)
            {
                // The UPDATE's WHERE keeps the original value; the row gets the next one.
                var revision = entry.Property(e => e.Revision);
                revision.CurrentValue = revision.OriginalValue + 1;
            }
        }
    }

    private static ConcurrencyConflictException Conflict(DbUpdateConcurrencyException ex)
    {
        if (ex.Entries.Count == 0)
        {
            return new ConcurrencyConflictException("Concurrency conflict: a row was changed by someone else since it was read. Nothing was saved; reload and try again.", ex);
        }

        var entry = ex.Entries[0];
        var table = entry.Metadata.GetTableName() ?? entry.Metadata.ClrType.Name;
        var keyProperties = entry.Metadata.FindPrimaryKey()?.Properties ?? [];
        var key = string.Join("/", keyProperties.Select(p => entry.Property(p.Name).CurrentValue));
        int? expected = entry.Entity is IRevisioned ? (int?)entry.Property(nameof(IRevisioned.Revision)).OriginalValue : null;
        return new ConcurrencyConflictException(table, key, expected, ex);
    }

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

        configurationBuilder.Properties<ProcessInstanceState>().HaveConversion<UpperCaseEnumConverter<ProcessInstanceState>>();
        configurationBuilder.Properties<UserTaskState>().HaveConversion<UpperCaseEnumConverter<UserTaskState>>();
        configurationBuilder.Properties<IncidentState>().HaveConversion<UpperCaseEnumConverter<IncidentState>>();
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        ArgumentNullException.ThrowIfNull(modelBuilder);

        modelBuilder.Entity<ProcessDefinitionRow>(e =>
        {
            e.ToTable("process_definitions");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            e.HasIndex(x => new { x.BpmnProcessId, x.Version }).IsUnique();
            e.HasIndex(x => new { x.BpmnProcessId, x.ContentHash });
        });

        modelBuilder.Entity<FormRow>(e =>
        {
            e.ToTable("forms");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            e.HasIndex(x => new { x.FormId, x.Version }).IsUnique();
            e.HasIndex(x => new { x.FormId, x.ContentHash });
        });

        modelBuilder.Entity<ProcessInstanceRow>(e =>
        {
            e.ToTable("process_instances");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            Revisioned(e);
            e.HasIndex(x => x.BusinessKey);
            e.HasIndex(x => new { x.BpmnProcessId, x.State });
            e.HasIndex(x => x.ParentInstanceKey);
        });

        modelBuilder.Entity<UserTaskRow>(e =>
        {
            e.ToTable("user_tasks");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            Revisioned(e);
            e.HasIndex(x => new { x.State, x.Assignee, x.DueDate });
            e.HasIndex(x => new { x.State, x.DueDate });
            e.HasIndex(x => x.InstanceKey);
        });

        modelBuilder.Entity<UserTaskCandidateRow>(e =>
        {
            e.ToTable("user_task_candidates");
            e.HasKey(x => new { x.TaskKey, x.Kind, x.Value });
            e.HasIndex(x => new { x.Kind, x.Value, x.TaskKey });
        });

        modelBuilder.Entity<JobRow>(e =>
        {
            e.ToTable("jobs");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            // A tracked delete or update of a job matches only while the lease is as read (or as the executor says it
            // holds it): the executor deletes its job in the same batch as the handler's writes.
            e.Property(x => x.LeaseOwner).IsConcurrencyToken();
            e.HasIndex(x => x.DueAt);
            e.HasIndex(x => x.InstanceKey);
        });

        modelBuilder.Entity<MessageSubscriptionRow>(e =>
        {
            e.ToTable("message_subscriptions");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => new { x.MessageName, x.CorrelationKey });
            e.HasIndex(x => x.InstanceKey);
        });

        modelBuilder.Entity<BufferedMessageRow>(e =>
        {
            e.ToTable("buffered_messages");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            e.HasIndex(x => new { x.Name, x.CorrelationKey });
            e.HasIndex(x => x.MessageId).IsUnique().HasFilter("message_id IS NOT NULL");
        });

        modelBuilder.Entity<IncidentRow>(e =>
        {
            e.ToTable("incidents");
            e.HasKey(x => x.Key);
            e.Property(x => x.Key).ValueGeneratedNever();
            e.HasIndex(x => x.State);
            e.HasIndex(x => x.InstanceKey);
        });

        modelBuilder.Entity<AuditEventRow>(e =>
        {
            e.ToTable("audit_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => new { x.InstanceKey, x.Id });
        });

        modelBuilder.Entity<OrderRow>(e =>
        {
            e.ToTable("orders");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            Revisioned(e);
            e.Property(x => x.TotalAmount).HasPrecision(18, 2);
            e.HasIndex(x => x.OrderNo).IsUnique();
            e.HasIndex(x => x.Status);
            e.HasIndex(x => x.DeliveryDate);
            e.HasIndex(x => x.Merchandiser);
            e.HasMany(x => x.Lines).WithOne().HasForeignKey(l => l.OrderId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_order_lines_orders_order_id");
        });

        modelBuilder.Entity<OrderLineRow>(e =>
        {
            e.ToTable("order_lines");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.Property(x => x.Quantity).HasPrecision(18, 3);
            e.Property(x => x.UnitPrice).HasPrecision(18, 4);
            e.HasIndex(x => new { x.OrderId, x.LineNo }).IsUnique();
        });

        modelBuilder.Entity<OrderEventRow>(e =>
        {
            e.ToTable("order_events");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => new { x.OrderId, x.Id });
            e.HasIndex(x => x.JobKey).IsUnique().HasFilter("job_key IS NOT NULL");
        });

        modelBuilder.Entity<OutboxMessageRow>(e =>
        {
            e.ToTable("outbox_messages");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => x.MessageId).IsUnique();
            e.HasIndex(x => new { x.Status, x.CreatedAt });
            e.HasIndex(x => x.InstanceKey);
        });

        modelBuilder.Entity<CalendarRow>(e =>
        {
            e.ToTable("calendars");
            e.HasKey(x => x.Id);
        });

        modelBuilder.Entity<DesignDraftRow>(e =>
        {
            e.ToTable("design_drafts");
            e.HasKey(x => new { x.Kind, x.ResourceId });
        });

        modelBuilder.Entity<OrderDocumentRow>(e =>
        {
            e.ToTable("order_documents");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedOnAdd();
            e.HasIndex(x => new { x.OrderId, x.Id });
            e.HasOne<OrderRow>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Cascade).HasConstraintName("fk_order_documents_orders_order_id");
        });

        ApplySnakeCaseNames(modelBuilder.Model);
    }

    private static void Revisioned<T>(EntityTypeBuilder<T> e)
        where T : class, IRevisioned =>
        e.Property(x => x.Revision).IsConcurrencyToken();

    /// <summary>Column, key and index names the hand-written migrations use: snake_case, pk_/ix_/ux_ prefixes.</summary>
    internal static void ApplySnakeCaseNames(IMutableModel model)
    {
        foreach (var entity in model.GetEntityTypes())
        {
            var table = entity.GetTableName()!;
            foreach (var property in entity.GetProperties())
            {
                property.SetColumnName(ToSnakeCase(property.Name));
            }

            entity.FindPrimaryKey()?.SetName($"pk_{table}");
            foreach (var index in entity.GetIndexes())
            {
                var prefix = index.IsUnique ? "ux" : "ix";
                index.SetDatabaseName($"{prefix}_{table}_{string.Join('_', index.Properties.Select(p => ToSnakeCase(p.Name)))}");
            }
        }
    }

    internal static string ToSnakeCase(string name)
    {
        var sb = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i];
            if (char.IsUpper(c))
            {
                if (i > 0)
                {
                    sb.Append('_');
                }

                sb.Append(char.ToLowerInvariant(c));
            }
            else
            {
                sb.Append(c);
            }
        }

        return sb.ToString();
    }
}
