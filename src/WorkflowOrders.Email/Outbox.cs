using System.Globalization;
using System.Security.Cryptography;
using WorkflowOrders.Persistence;
using WorkflowOrders.Persistence.Entities;

namespace WorkflowOrders.Email;

/// <summary>An email to be written to the outbox.</summary>
public sealed record OutboxDraft
{
    public required IReadOnlyList<string> To { get; init; }
    public IReadOnlyList<string> Cc { get; init; } = [];
    public required string Subject { get; init; }
    public required string HtmlBody { get; init; }
    public required string TextBody { get; init; }
    public required string Language { get; init; }
    public required string CauseKind { get; init; }
    public long? InstanceKey { get; init; }
    public long? TaskKey { get; init; }
}

/// <summary>
/// Writes emails to the outbox: the row and its sender job (kind <see cref="JobKinds.Email"/>, type = the Message-ID)
/// are added to the caller's context, so they commit with the state change that caused them, or not at all.
/// </summary>
public static class Outbox
{
    public static OutboxMessageRow Enqueue(WorkflowDbContext db, OutboxDraft draft, DateTimeOffset now, string messageIdDomain)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(draft);
        if (draft.To.Count == 0)
        {
            throw new ArgumentException("An email needs at least one recipient.", nameof(draft));
        }

        var messageId = string.Create(CultureInfo.InvariantCulture, $"{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16))}@{messageIdDomain}");
        var row = new OutboxMessageRow
        {
            MessageId = messageId,
            ToAddresses = string.Join(", ", draft.To),
            CcAddresses = draft.Cc.Count == 0 ? null : string.Join(", ", draft.Cc),
            Subject = draft.Subject,
            HtmlBody = draft.HtmlBody,
            TextBody = draft.TextBody,
            Language = draft.Language,
            CreatedAt = now,
            Status = OutboxStatus.Pending,
            InstanceKey = draft.InstanceKey,
            TaskKey = draft.TaskKey,
            CauseKind = draft.CauseKind,
        };
        db.OutboxMessages.Add(row);
        db.Jobs.Add(new JobRow
        {
            Kind = JobKinds.Email,
            Type = messageId,
            InstanceKey = draft.InstanceKey,
            DueAt = now,
            CreatedAt = now,
        });
        return row;
    }
}
