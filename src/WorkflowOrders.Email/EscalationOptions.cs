using System.Globalization;
using System.Text.RegularExpressions;

namespace WorkflowOrders.Email;

/// <summary>
/// Company defaults of the escalation ladder, section <c>WorkflowOrders:Escalation</c>; a user task overrides them
/// with its zeebe:properties <c>escalation.reminderDelay</c>, <c>escalation.level1Delay</c>, <c>escalation.level2Delay</c>.
/// Each is an ISO-8601 duration of working time (a day = one working day of the instance's calendar).
/// </summary>
public sealed class EscalationOptions
{
    public const string Section = "WorkflowOrders:Escalation";

    public bool Enabled { get; set; } = true;

    /// <summary>Level 0 (the assignee or the candidates), counted from the due date.</summary>
    public string ReminderDelay { get; set; } = "PT0S";

    /// <summary>Level 1 (the department manager), counted from the due date.</summary>
    public string Level1Delay { get; set; } = "PT4H";

    /// <summary>Level 2 (the general manager), counted from level 1.</summary>
    public string Level2Delay { get; set; } = "P1D";
}

/// <summary>An ISO-8601 duration split into working days and a time part, so P1D means one working day, not 24 hours.</summary>
public readonly partial record struct WorkingDuration(decimal Days, TimeSpan Time)
{
    public static bool TryParse(string? text, out WorkingDuration duration)
    {
        duration = default;
        var match = text is null ? null : Pattern().Match(text.Trim());
        if (match is null || !match.Success || text!.Trim() is "P" or "PT")
        {
            return false;
        }

        decimal Part(string name) => match.Groups[name].Success ? decimal.Parse(match.Groups[name].Value, CultureInfo.InvariantCulture) : 0m;
        duration = new WorkingDuration(Part("w") * 5 + Part("d"), TimeSpan.FromHours((double)Part("h")) + TimeSpan.FromMinutes((double)Part("m")) + TimeSpan.FromSeconds((double)Part("s")));
        return true;
    }

    [GeneratedRegex(@"^P(?:(?<w>\d+(?:\.\d+)?)W)?(?:(?<d>\d+(?:\.\d+)?)D)?(?:T(?:(?<h>\d+(?:\.\d+)?)H)?(?:(?<m>\d+(?:\.\d+)?)M)?(?:(?<s>\d+(?:\.\d+)?)S)?)?$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
