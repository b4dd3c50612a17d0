using System.Security.Claims;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Orders;
using WorkflowOrders.Web.Hosting;
using WorkflowOrders.Web.People;
using WorkflowOrders.Web.Security;

namespace WorkflowOrders.Web.Features.Orders;

/// <summary>A document of an order as lists show it (never its content).</summary>
public sealed record OrderDocumentInfo(long Id, string FileName, string ContentType, long Size, string Category, string UploadedBy, DateTimeOffset UploadedAt);

/// <summary>The outcome of an upload: the stored document, or the resource key of the reason it was refused.</summary>
public sealed record AttachResult(OrderDocumentInfo? Document, string? ErrorKey)
{
    public static AttachResult Refused(string errorKey) => new(null, errorKey);
}

/// <summary>
/// Files attached to an order (docs/orders.md, "Documents"): stored in <c>order_documents</c> with a <c>document</c>
/// entry on the order's timeline in the same transaction. Who may attach: the order desk (sales, merchandiser, admin),
/// managers (department manager, director, general manager), the order's merchandiser and whoever recorded it, and
/// anyone who holds or completed one of the order's tasks (the inspector attaching the inspection report). Every
/// signed-in user who can open the order page can download its documents.
/// </summary>
public sealed class OrderDocumentService(IDbContextFactory<WorkflowDbContext> contexts, IOptions<WorkflowOrdersOptions> options, TimeProvider time)
{
    public const string TooLarge = "Orders.Documents.Error.TooLarge";
    public const string Empty = "Orders.Documents.Error.Empty";
    public const string NotAllowed = "Orders.Documents.Error.NotAllowed";
    public const string BadCategory = "Orders.Documents.Error.Category";

    /// <summary>Roles that may attach to any order.</summary>
    public static IReadOnlyList<string> AttachRoles { get; } = [Roles.Sales, Roles.Merchandiser, Roles.Admin, Roles.DeptManager, Roles.Director, Roles.Gm];

    public long MaxBytes => options.Value.MaxDocumentBytes;

    public async Task<bool> CanAttachAsync(ClaimsPrincipal user, OrderRow order, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(order);
        if (AttachRoles.Any(user.IsInRole))
        {
            return true;
        }

        var name = user.UserName();
        if (name.Length == 0)
        {
            return false;
        }

        if (order.Merchandiser == name || order.CreatedBy == name)
        {
            return true;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.UserTasks.AnyAsync(t => t.BusinessKey == order.OrderNo && (t.Assignee == name || t.CompletedBy == name), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Stores the file and its timeline entry together; refuses an empty or too large file and a user who may not attach.</summary>
    public async Task<AttachResult> AttachAsync(ClaimsPrincipal user, OrderRow order, string fileName, string? contentType, string? category, Stream content, long length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(order);
        ArgumentNullException.ThrowIfNull(content);
        if (!await CanAttachAsync(user, order, cancellationToken).ConfigureAwait(false))
        {
            return AttachResult.Refused(NotAllowed);
        }

        if (length > MaxBytes)
        {
            return AttachResult.Refused(TooLarge);
        }

        if (length <= 0)
        {
            return AttachResult.Refused(Empty);
        }

        var kind = string.IsNullOrWhiteSpace(category) ? "other" : category.Trim();
        if (!OrderDocumentCategories.All.Contains(kind))
        {
            return AttachResult.Refused(BadCategory);
        }

        // Read at most one byte past the limit: the declared length is the client's word, the bytes are not.
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await content.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > MaxBytes)
            {
                return AttachResult.Refused(TooLarge);
            }
        }

        if (buffer.Length == 0)
        {
            return AttachResult.Refused(Empty);
        }

        var bytes = buffer.ToArray();
        var now = time.GetUtcNow();
        var row = new OrderDocumentRow
        {
            OrderId = order.Id,
            FileName = CleanName(fileName),
            ContentType = string.IsNullOrWhiteSpace(contentType) ? "application/octet-stream" : contentType.Trim(),
            Size = bytes.LongLength,
            Category = kind,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes)),
            Content = bytes,
            UploadedBy = user.UserName(),
            UploadedAt = now,
        };

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        db.OrderDocuments.Add(row);
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        db.OrderEvents.Add(new OrderEventRow
        {
            OrderId = order.Id,
            At = now,
            Kind = OrderEventKinds.Document,
            Actor = row.UploadedBy,
            Details = new JsonObject { ["documentId"] = row.Id, ["fileName"] = row.FileName, ["size"] = row.Size, ["category"] = row.Category }.ToJsonString(),
        });
        await db.SaveChangesAsync(cancellationToken).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new AttachResult(new OrderDocumentInfo(row.Id, row.FileName, row.ContentType, row.Size, row.Category, row.UploadedBy, row.UploadedAt), null);
    }

    /// <summary>The document with its content, when it belongs to the order.</summary>
    public async Task<OrderDocumentRow?> FindAsync(long orderId, long documentId, CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        return await db.OrderDocuments.AsNoTracking().SingleOrDefaultAsync(d => d.Id == documentId && d.OrderId == orderId, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last path segment of the name the browser sent (some send C:\…\file.pdf), at most 200 characters.</summary>
    public static string CleanName(string? fileName)
    {
        var name = (fileName ?? "").Replace('\\', '/');
        name = name[(name.LastIndexOf('/') + 1)..].Trim();
        name = new string([.. name.Where(c => !char.IsControl(c))]);
        if (name.Length == 0)
        {
            return "document";
        }

        return name.Length <= 200 ? name : name[..200];
    }
}
