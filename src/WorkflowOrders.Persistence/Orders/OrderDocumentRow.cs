namespace WorkflowOrders.Persistence.Orders;

/// <summary>
/// A file attached to an order (contract, drawing, inspection report …), kept in the database with the order so a
/// backup of the database is a backup of the documents and a second node serves the same files without a shared disk.
/// </summary>
public sealed class OrderDocumentRow
{
    public long Id { get; set; }
    public long OrderId { get; set; }

    /// <summary>The name the browser sent, without any folder part.</summary>
    public required string FileName { get; set; }

    public required string ContentType { get; set; }

    /// <summary>Bytes of <see cref="Content"/>; kept beside it so a list never loads the files.</summary>
    public long Size { get; set; }

    /// <summary>One of <see cref="OrderDocumentCategories.All"/>.</summary>
    public required string Category { get; set; }

    /// <summary>Lower-case hex SHA-256 of the content: the download's ETag and a check against a damaged row.</summary>
    public required string Sha256 { get; set; }

    public required byte[] Content { get; set; }
    public required string UploadedBy { get; set; }
    public DateTimeOffset UploadedAt { get; set; }
}

/// <summary>What a document is; the order page offers these in its upload form.</summary>
public static class OrderDocumentCategories
{
    public static IReadOnlyList<string> All { get; } = ["contract", "drawing", "specification", "inspection-report", "correspondence", "other"];
}
