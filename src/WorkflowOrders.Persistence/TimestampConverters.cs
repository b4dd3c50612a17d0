using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace WorkflowOrders.Persistence;

/// <summary>
/// SQLite has no timestamp type: instants are stored as UTC ticks (INTEGER, 100 ns since 0001-01-01) so that
/// ORDER BY, MIN and comparisons in SQL work on them. Read one in sqlite3 with
/// <c>datetime((due_at - 621355968000000000) / 10000000, 'unixepoch')</c>.
/// </summary>
internal sealed class UtcTicksConverter() : ValueConverter<DateTimeOffset, long>(
    v => v.UtcTicks,
    v => new DateTimeOffset(v, TimeSpan.Zero));

/// <summary>PostgreSQL's timestamptz accepts only offset 0 from Npgsql; any offset the caller used is normalised here.</summary>
internal sealed class UtcNormalizingConverter() : ValueConverter<DateTimeOffset, DateTimeOffset>(
    v => v.ToUniversalTime(),
    v => v.ToUniversalTime());

/// <summary>Enum states as upper-case text (ACTIVE, COMPLETED …), the spelling Camunda's API uses.</summary>
internal sealed class UpperCaseEnumConverter<TEnum>() : ValueConverter<TEnum, string>(
    v => v.ToString().ToUpperInvariant(),
    v => Enum.Parse<TEnum>(v, true))
    where TEnum : struct, Enum;
