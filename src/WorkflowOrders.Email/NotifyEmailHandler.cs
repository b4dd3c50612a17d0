using System.Text.Json;
using System.Text.Json.Nodes;
using WorkflowOrders.Engine.Ports;
using WorkflowOrders.Persistence.Engine;

namespace WorkflowOrders.Email;

/// <summary>
/// The <c>notify.email</c> send task: renders the template named by the header <c>template</c> for the roles
/// (<c>toRoles</c>: header, comma-separated, or an input/variable holding a list), users (<c>toUsers</c>) and the
/// customer (<c>toCustomer</c> = true: the variable <c>customerEmail</c>, in <c>customerLanguage</c>, default en), one
/// message per language, and writes them to the outbox in the job's own transaction — so the task completes exactly
/// when its emails are committed.
/// </summary>
public sealed class NotifyEmailHandler(IMailDirectory directory, MailOptions options, TimeProvider time) : ITaskHandler
{
    public string Type => "notify.email";

    public async ValueTask<TaskOutcome> HandleAsync(TaskContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var headers = context.Job.Headers;
        var templateId = headers.GetValueOrDefault("template") ?? "";
        var template = NotifyTemplates.Find(templateId);
        if (template is null)
        {
            return TaskOutcome.Fail($"Unknown mail template '{templateId}'; known: {string.Join(", ", NotifyTemplates.Ids)}.");
        }

        var roles = Names(headers.GetValueOrDefault("toRoles"), context.Variables["toRoles"]);
        var users = Names(headers.GetValueOrDefault("toUsers"), context.Variables["toUsers"]);
        var recipients = new Dictionary<string, MailRecipient>(StringComparer.OrdinalIgnoreCase);
        if (roles.Count > 0)
        {
            foreach (var r in await directory.UsersInRolesAsync(roles, cancellationToken).ConfigureAwait(false))
            {
                recipients.TryAdd(r.Email, r);
            }
        }

        foreach (var name in users)
        {
            if (await directory.UserAsync(name, cancellationToken).ConfigureAwait(false) is { } r)
            {
                recipients.TryAdd(r.Email, r);
            }
        }

        if (string.Equals(headers.GetValueOrDefault("toCustomer"), "true", StringComparison.OrdinalIgnoreCase)
            && Text(context.Variables["customerEmail"]) is { Length: > 0 } customerEmail)
        {
            recipients.TryAdd(customerEmail, new MailRecipient("", Text(context.Variables["customer"]) ?? customerEmail, customerEmail, Text(context.Variables["customerLanguage"]) ?? "en", null));
        }

        if (recipients.Count == 0)
        {
            // Failing keeps the email from vanishing: retried, then an incident an administrator sees.
            return TaskOutcome.Fail($"No recipient with an email address for template '{templateId}' (roles: {string.Join(", ", roles)}; users: {string.Join(", ", users)}).");
        }

        var orderNo = Text(context.Variables["orderNo"]) ?? context.BusinessKey ?? "";
        var customer = CustomerName(context.Variables["customer"]);
        var db = EfWorkflowStore.ContextOf(context.UnitOfWork);
        var now = time.GetUtcNow();
        foreach (var group in recipients.Values.GroupBy(r => MailText.IsChinese(r.Language) ? "zh-CN" : "en"))
        {
            var zh = group.Key == "zh-CN";
            var subject = zh ? $"[{template.SubjectZh}] 订单 {orderNo}" : $"[{template.SubjectEn}] Order {orderNo}";
            if (!string.IsNullOrEmpty(customer))
            {
                subject += " · " + customer;
            }

            var link = MailText.Link(options.BaseUrl, "/orders/" + Uri.EscapeDataString(orderNo));
            var (text, html) = new MailText(zh ? template.LeadZh : template.LeadEn)
                .Line(zh ? "订单" : "Order", orderNo)
                .Line(zh ? "客户" : "Customer", customer)
                .Line(zh ? "交期" : "Delivery date", Text(context.Variables["deliveryDate"]))
                .Finish(zh ? "打开订单" : "Open the order", link, zh ? "此邮件由 WorkflowOrders 自动发送。" : "Sent automatically by WorkflowOrders.");
            Outbox.Enqueue(db, new OutboxDraft
            {
                To = group.Select(r => r.Email).ToList(),
                Subject = subject,
                HtmlBody = html,
                TextBody = text,
                Language = group.Key,
                CauseKind = "notify:" + templateId,
                InstanceKey = context.Job.InstanceKey,
            }, now, options.MessageIdDomain);
        }

        return TaskOutcome.Complete();
    }

    private static List<string> Names(string? header, JsonNode? variable)
    {
        var names = new List<string>();
        if (!string.IsNullOrWhiteSpace(header))
        {
            names.AddRange(header.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }
        else if (variable is JsonArray list)
        {
            names.AddRange(list.Select(Text).OfType<string>());
        }
        else if (Text(variable) is { } single)
        {
            names.AddRange(single.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        return names.Distinct(StringComparer.Ordinal).ToList();
    }

    private static string? CustomerName(JsonNode? node) =>
        node is JsonObject o ? Text(o["name"]) ?? Text(o["code"]) : Text(node);

    private static string? Text(JsonNode? node) =>
        node is JsonValue v && v.GetValueKind() == JsonValueKind.String ? v.GetValue<string>() : node is JsonValue n ? n.ToJsonString() : null;
}
