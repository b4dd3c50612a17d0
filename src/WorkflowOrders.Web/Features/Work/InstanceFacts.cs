using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using WorkflowOrders.Engine.Runtime;
using WorkflowOrders.Persistence;

namespace WorkflowOrders.Web.Features.Work;

/// <summary>Small facts about instances and definitions that lists need: calendar ids and process display names.</summary>
public sealed class InstanceFacts(IDbContextFactory<WorkflowDbContext> contexts, WorkflowRuntime runtime)
{
    /// <summary>The calendar each instance counts its deadlines in (read from the instance documents).</summary>
    public async Task<IReadOnlyDictionary<long, string>> CalendarsAsync(IReadOnlyCollection<long> instanceKeys, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(instanceKeys);
        var result = new Dictionary<long, string>();
        if (instanceKeys.Count == 0)
        {
            return result;
        }

        await using var db = await contexts.CreateDbContextAsync(cancellationToken).ConfigureAwait(false);
        var rows = await db.ProcessInstances.AsNoTracking().Where(i => instanceKeys.Contains(i.Key))
            .Select(i => new { i.Key, i.StateJson }).ToListAsync(cancellationToken).ConfigureAwait(false);
        foreach (var row in rows)
        {
            result[row.Key] = ReadCalendarId(row.StateJson) ?? DueCalculator.DefaultCalendar;
        }

        return result;
    }

    /// <summary>Reads the top-level "calendarId" of an instance document without materializing the rest.</summary>
    internal static string? ReadCalendarId(string stateJson)
    {
        var reader = new Utf8JsonReader(Encoding.UTF8.GetBytes(stateJson));
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return null;
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var isCalendar = reader.ValueTextEquals("calendarId");
            reader.Read();
            if (isCalendar)
            {
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            reader.Skip();
        }

        return null;
    }

    /// <summary>Display names of processes by definition key, in the culture (zeebe:properties name.en for English).</summary>
    public async Task<IReadOnlyDictionary<long, string>> ProcessNamesAsync(IEnumerable<long> definitionKeys, string culture, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(definitionKeys);
        var result = new Dictionary<long, string>();
        var keys = definitionKeys.Distinct().ToList();
        if (keys.Count == 0)
        {
            return result;
        }

        // Definitions are parsed once per process version and cached by the store.
        await using var uow = await runtime.Store.BeginAsync(cancellationToken).ConfigureAwait(false);
        foreach (var key in keys)
        {
            if (await uow.FindDefinitionAsync(key).ConfigureAwait(false) is { } definition)
            {
                result[key] = ProcessName(definition, culture);
            }
        }

        return result;
    }

    public static string ProcessName(ProcessDefinition definition, string culture)
    {
        ArgumentNullException.ThrowIfNull(definition);
        var chinese = culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase);
        return (chinese ? definition.Model.Name : definition.Model.EnglishName) ?? definition.Model.Name ?? definition.ProcessId;
    }

    /// <summary>The task's name in the culture (zeebe:properties name.en for English).</summary>
    public static string TaskName(string? name, IReadOnlyDictionary<string, string> properties, string elementId, string culture)
    {
        ArgumentNullException.ThrowIfNull(properties);
        if (!culture.StartsWith("zh", StringComparison.OrdinalIgnoreCase) && properties.TryGetValue("name.en", out var english) && english.Length > 0)
        {
            return english;
        }

        return string.IsNullOrEmpty(name) ? elementId : name;
    }
}
