using System.Collections.Immutable;
using System.Globalization;
using System.Text.Json;

namespace WorkflowOrders.Engine.Calendar;

/// <summary>A calendar file that cannot be used; <see cref="Exception.Message"/> names every problem found.</summary>
public sealed class CalendarFileException : Exception
{
    public CalendarFileException(string fileName, IReadOnlyList<string> problems)
        : base(BuildMessage(fileName, problems))
    {
        FileName = fileName;
        Problems = problems;
    }

    public CalendarFileException()
        : this("calendar", ["unknown problem"])
    {
    }

    public CalendarFileException(string message)
        : base(message)
    {
        FileName = "calendar";
        Problems = [message];
    }

    public CalendarFileException(string message, Exception innerException)
        : base(message, innerException)
    {
        FileName = "calendar";
        Problems = [message];
    }

    public string FileName { get; }

    /// <summary>Each problem as "where: what", e.g. "years[0].holidays[1].from: "2026-02-30" is not a date …".</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string BuildMessage(string fileName, IReadOnlyList<string> problems) => problems.Count == 1
        ? $"Calendar file '{fileName}' is invalid: {problems[0]}"
        : $"Calendar file '{fileName}' has {problems.Count} problems: "
          + string.Join(" ", problems.Select((p, i) => $"({i + 1}) {p}"));
}

/// <summary>
/// Reads a calendar file (workflows/calendars/*.json; format in docs/calendar.md) into a checked
/// <see cref="CalendarDefinition"/>. Every problem is collected and reported in one <see cref="CalendarFileException"/>.
/// </summary>
public static class CalendarLoader
{
    private static readonly JsonDocumentOptions DocumentOptions = new()
    {
        CommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        AllowDuplicateProperties = false,
    };

    /// <summary>Reads and checks the file at <paramref name="path"/>.</summary>
    /// <exception cref="CalendarFileException">The file cannot be read or is not a valid calendar.</exception>
    public static CalendarDefinition LoadFile(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        var fileName = Path.GetFileName(path);
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
        {
            throw new CalendarFileException(fileName, [$"the file cannot be read: {e.Message}"]);
        }

        return Parse(json, fileName);
    }

    /// <summary>Checks <paramref name="json"/>; <paramref name="fileName"/> only names the file in messages.</summary>
    /// <exception cref="CalendarFileException">The text is not a valid calendar.</exception>
    public static CalendarDefinition Parse(string json, string fileName)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(fileName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, DocumentOptions);
        }
        catch (JsonException e)
        {
            throw new CalendarFileException(fileName, [DescribeSyntaxError(e)]);
        }

        using (document)
        {
            var reader = new Reader();
            var definition = reader.ReadCalendar(document.RootElement);
            if (reader.Problems.Count > 0 || definition is null)
            {
                throw new CalendarFileException(fileName, reader.Problems);
            }

            return definition;
        }
    }

    private static string DescribeSyntaxError(JsonException e)
    {
        var text = e.Message;
        var cut = text.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (cut > 0)
        {
            text = text[..cut];
        }

        return e.LineNumber is { } line
            ? $"not valid JSON at line {line + 1}, column {(e.BytePositionInLine ?? 0) + 1}: {text}"
            : $"not valid JSON: {text}";
    }

    /// <summary>One pass over the document; records problems and keeps going so the administrator sees all of them.</summary>
    private sealed class Reader
    {
        private static readonly string[] RootProperties = ["id", "name", "timeZone", "workWeek", "workingHours", "years"];
        private static readonly string[] IntervalProperties = ["from", "to"];
        private static readonly string[] YearProperties = ["year", "source", "holidays", "makeUpWorkingDays"];
        private static readonly string[] SourceProperties = ["title", "publisher", "published", "url"];
        private static readonly string[] HolidayProperties = ["name", "from", "to"];

        public List<string> Problems { get; } = [];

        public CalendarDefinition? ReadCalendar(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object)
            {
                Problem("(file)", $"expected one JSON object {{ \"id\": …, \"timeZone\": …, … }}, found {Describe(root)}");
                return null;
            }

            RejectUnknown(root, "", RootProperties);
            var id = ReadId(root);
            var name = ReadName(root, "name", "");
            var zone = ReadZone(root);
            var workWeek = ReadWorkWeek(root);
            var hours = ReadWorkingHours(root);
            var years = ReadYears(root, workWeek);

            if (Problems.Count > 0 || id is null || name is null || zone is null || workWeek is null || hours is null || years is null)
            {
                return null;
            }

            return new CalendarDefinition(id, name, zone, workWeek.Value, hours.Value, years.Value);
        }

        private string? ReadId(JsonElement root)
        {
            var id = RequiredString(root, "id", "");
            if (id is not null && !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
            {
                Problem("id", $"{Quote(id)} may contain only letters, digits, '-' and '_'");
                return null;
            }

            return id;
        }

        private LocalizedName? ReadName(JsonElement owner, string property, string parent)
        {
            var path = Join(parent, property);
            if (!Required(owner, property, parent, out var element))
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.Object)
            {
                Problem(path, $"expected names by language, e.g. {{ \"zh-CN\": \"…\", \"en\": \"…\" }}, found {Describe(element)}");
                return null;
            }

            var names = new List<KeyValuePair<string, string>>();
            foreach (var entry in element.EnumerateObject())
            {
                if (entry.Value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(entry.Value.GetString()))
                {
                    Problem(Join(path, entry.Name), $"expected a non-empty text, found {Describe(entry.Value)}");
                    continue;
                }

                names.Add(new(entry.Name, entry.Value.GetString()!.Trim()));
            }

            if (names.Count == 0)
            {
                Problem(path, "needs a name in at least one language, e.g. { \"zh-CN\": \"…\", \"en\": \"…\" }");
                return null;
            }

            return new LocalizedName(names);
        }

        private TimeZoneInfo? ReadZone(JsonElement root)
        {
            var zoneId = RequiredString(root, "timeZone", "");
            if (zoneId is null)
            {
                return null;
            }

            try
            {
                return TimeZoneInfo.FindSystemTimeZoneById(zoneId);
            }
            catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
            {
                Problem("timeZone", $"{Quote(zoneId)} is not a time zone known to this server (use an IANA id such as \"Asia/Shanghai\")");
                return null;
            }
        }

        private ImmutableArray<DayOfWeek>? ReadWorkWeek(JsonElement root)
        {
            if (!RequiredArray(root, "workWeek", "", out var array))
            {
                return null;
            }

            var days = new List<DayOfWeek>();
            var ok = true;
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var path = $"workWeek[{index++}]";
                var text = item.ValueKind == JsonValueKind.String ? item.GetString()! : null;
                if (text is null || !text.All(char.IsAsciiLetter) || !Enum.TryParse<DayOfWeek>(text, ignoreCase: true, out var day))
                {
                    Problem(path, $"expected a day name in English (\"Monday\" … \"Sunday\"), found {Describe(item)}");
                    ok = false;
                    continue;
                }

                if (days.Contains(day))
                {
                    Problem(path, $"{day} is listed twice");
                    ok = false;
                    continue;
                }

                days.Add(day);
            }

            if (ok && days.Count == 0)
            {
                Problem("workWeek", "lists no day; a calendar needs at least one working day in the week");
                return null;
            }

            return ok ? [.. days.OrderBy(d => ((int)d + 6) % 7)] : null;
        }

        private ImmutableArray<WorkingInterval>? ReadWorkingHours(JsonElement root)
        {
            if (!RequiredArray(root, "workingHours", "", out var array))
            {
                return null;
            }

            var intervals = new List<WorkingInterval>();
            var ok = true;
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var path = $"workingHours[{index++}]";
                if (!IsObject(item, path, "{ \"from\": \"08:30\", \"to\": \"17:30\" }"))
                {
                    ok = false;
                    continue;
                }

                RejectUnknown(item, path, IntervalProperties);
                var from = ReadTime(item, "from", path, allowEndOfDay: false);
                var to = ReadTime(item, "to", path, allowEndOfDay: true);
                if (from is null || to is null)
                {
                    ok = false;
                    continue;
                }

                if (to <= from)
                {
                    Problem(path, $"{WorkingInterval.Format(from.Value)}–{WorkingInterval.Format(to.Value)} ends before it starts; "
                        + "an interval lies within one day (use \"24:00\" for midnight at its end)");
                    ok = false;
                    continue;
                }

                intervals.Add(new WorkingInterval(from.Value, to.Value));
            }

            if (!ok)
            {
                return null;
            }

            if (intervals.Count == 0)
            {
                Problem("workingHours", "lists no interval; a working day needs at least one, e.g. { \"from\": \"08:30\", \"to\": \"17:30\" }");
                return null;
            }

            intervals.Sort((a, b) => a.From.CompareTo(b.From));
            for (var i = 1; i < intervals.Count; i++)
            {
                if (intervals[i].From < intervals[i - 1].To)
                {
                    Problem("workingHours", $"{intervals[i - 1]} and {intervals[i]} overlap");
                    ok = false;
                }
            }

            return ok ? [.. intervals] : null;
        }

        private TimeSpan? ReadTime(JsonElement owner, string property, string parent, bool allowEndOfDay)
        {
            var text = RequiredString(owner, property, parent);
            if (text is null)
            {
                return null;
            }

            if (allowEndOfDay && text == "24:00")
            {
                return TimeSpan.FromDays(1);
            }

            if (!TimeOnly.TryParseExact(text, "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
            {
                Problem(Join(parent, property), $"{Quote(text)} is not a time of day in the form HH:mm (e.g. \"08:30\")");
                return null;
            }

            return time.ToTimeSpan();
        }

        private ImmutableArray<CalendarYear>? ReadYears(JsonElement root, ImmutableArray<DayOfWeek>? workWeek)
        {
            if (!root.TryGetProperty("years", out var array))
            {
                return [];
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                Problem("years", $"expected a list of years, found {Describe(array)}");
                return null;
            }

            var years = new List<CalendarYear>();
            var ok = true;
            var index = 0;
            foreach (var item in array.EnumerateArray())
            {
                var year = ReadYear(item, $"years[{index++}]");
                if (year is null)
                {
                    ok = false;
                    continue;
                }

                years.Add(year);
            }

            if (!ok)
            {
                return null;
            }

            foreach (var duplicate in years.GroupBy(y => y.Year).Where(g => g.Count() > 1))
            {
                Problem("years", $"{duplicate.Key} is listed {duplicate.Count()} times; put all of a year's data in one entry");
                ok = false;
            }

            CheckAcrossYears(years, workWeek);
            return ok ? [.. years.OrderBy(y => y.Year)] : null;
        }

        private CalendarYear? ReadYear(JsonElement item, string path)
        {
            if (!IsObject(item, path, "{ \"year\": 2026, \"source\": …, \"holidays\": […], \"makeUpWorkingDays\": […] }"))
            {
                return null;
            }

            RejectUnknown(item, path, YearProperties);
            var problemsBefore = Problems.Count;
            int? year = null;
            if (Required(item, "year", path, out var yearElement))
            {
                if (yearElement.ValueKind == JsonValueKind.Number && yearElement.TryGetInt32(out var value) && value is >= 1 and <= 9999)
                {
                    year = value;
                }
                else
                {
                    Problem(Join(path, "year"), $"expected a year such as 2026, found {Describe(yearElement)}");
                }
            }

            var source = ReadSource(item, path);
            var holidays = new List<HolidayBlock>();
            if (OptionalArray(item, "holidays", path, out var holidayArray))
            {
                var index = 0;
                foreach (var holiday in holidayArray.EnumerateArray())
                {
                    var block = ReadHoliday(holiday, $"{path}.holidays[{index++}]", year);
                    if (block is not null)
                    {
                        holidays.Add(block);
                    }
                }
            }

            var makeUpDays = new List<DateOnly>();
            if (OptionalArray(item, "makeUpWorkingDays", path, out var makeUpArray))
            {
                var index = 0;
                foreach (var day in makeUpArray.EnumerateArray())
                {
                    var itemPath = $"{path}.makeUpWorkingDays[{index++}]";
                    var date = ParseDate(day, itemPath, year);
                    if (date is null)
                    {
                        continue;
                    }

                    if (makeUpDays.Contains(date.Value))
                    {
                        Problem(itemPath, $"{Format(date.Value)} is listed twice");
                        continue;
                    }

                    makeUpDays.Add(date.Value);
                }
            }

            if (Problems.Count > problemsBefore || year is null || source is null)
            {
                return null;
            }

            return new CalendarYear(year.Value, source, [.. holidays.OrderBy(h => h.First)], [.. makeUpDays.Order()]);
        }

        private CalendarSource? ReadSource(JsonElement owner, string parent)
        {
            var path = Join(parent, "source");
            if (!Required(owner, "source", parent, out var element))
            {
                return null;
            }

            if (!IsObject(element, path, "{ \"title\": \"国务院办公厅关于2026年部分节假日安排的通知\", \"published\": \"2025-11-04\" }"))
            {
                return null;
            }

            RejectUnknown(element, path, SourceProperties);
            var problemsBefore = Problems.Count;
            var title = RequiredString(element, "title", path);
            var publisher = OptionalString(element, "publisher", path);
            DateOnly? published = element.TryGetProperty("published", out var publishedElement)
                ? ParseDate(publishedElement, Join(path, "published"), year: null)
                : null;
            Uri? url = null;
            var urlText = OptionalString(element, "url", path);
            if (urlText is not null
                && (!Uri.TryCreate(urlText, UriKind.Absolute, out url) || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp)))
            {
                Problem(Join(path, "url"), $"{Quote(urlText)} is not an http(s) address");
            }

            return Problems.Count > problemsBefore || title is null ? null : new CalendarSource(title, publisher, published, url);
        }

        private HolidayBlock? ReadHoliday(JsonElement item, string path, int? year)
        {
            if (!IsObject(item, path, "{ \"name\": { \"zh-CN\": \"国庆节\", \"en\": \"National Day\" }, \"from\": \"2026-10-01\", \"to\": \"2026-10-07\" }"))
            {
                return null;
            }

            RejectUnknown(item, path, HolidayProperties);
            var name = ReadName(item, "name", path);
            var from = Required(item, "from", path, out var fromElement) ? ParseDate(fromElement, Join(path, "from"), year) : null;
            DateOnly? to = item.TryGetProperty("to", out var toElement) ? ParseDate(toElement, Join(path, "to"), year) : from;
            if (name is null || from is null || to is null)
            {
                return null;
            }

            if (to < from)
            {
                Problem(path, $"ends ({Format(to.Value)}) before it starts ({Format(from.Value)})");
                return null;
            }

            return new HolidayBlock(name, from.Value, to.Value);
        }

        private void CheckAcrossYears(List<CalendarYear> years, ImmutableArray<DayOfWeek>? workWeek)
        {
            var blocks = years.SelectMany(y => y.Holidays.Select(h => (Year: y.Year, Block: h))).OrderBy(x => x.Block.First).ToList();
            for (var i = 1; i < blocks.Count; i++)
            {
                var (previousYear, previous) = blocks[i - 1];
                var (year, block) = blocks[i];
                if (block.First <= previous.Last)
                {
                    Problem("years", $"holiday {Describe(block, year)} overlaps holiday {Describe(previous, previousYear)}");
                }
            }

            var makeUpSeen = new Dictionary<DateOnly, int>();
            foreach (var year in years)
            {
                foreach (var day in year.MakeUpWorkingDays)
                {
                    if (makeUpSeen.TryGetValue(day, out var otherYear) && otherYear != year.Year)
                    {
                        Problem("years", $"make-up working day {Format(day)} is listed under both {otherYear} and {year.Year}");
                    }

                    makeUpSeen[day] = year.Year;

                    var holiday = blocks.FirstOrDefault(b => b.Block.Contains(day));
                    if (holiday.Block is not null)
                    {
                        Problem($"makeUpWorkingDays of {year.Year}", $"{Format(day)} lies within holiday {Describe(holiday.Block, holiday.Year)}; a day cannot be both");
                    }

                    if (workWeek is { } week && week.Contains(day.DayOfWeek))
                    {
                        Problem($"makeUpWorkingDays of {year.Year}",
                            $"{Format(day)} is a {day.DayOfWeek}, already a working day of the work week; "
                            + "a make-up working day is a day off in the ordinary week (a weekend day) that is worked");
                    }
                }
            }
        }

        private DateOnly? ParseDate(JsonElement element, string path, int? year)
        {
            var text = element.ValueKind == JsonValueKind.String ? element.GetString()! : null;
            if (text is null || !DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                Problem(path, $"{Describe(element)} is not a date in the form yyyy-MM-dd (e.g. \"2026-10-01\")");
                return null;
            }

            // A State Council notice may place a New Year block partly in the neighbouring year (e.g. 2018-12-30..2019-01-01
            // in the notice for 2019), so the neighbouring December and January belong to a year's entry too.
            if (year is { } y && date.Year != y
                && !(date.Year == y - 1 && date.Month == 12)
                && !(date.Year == y + 1 && date.Month == 1))
            {
                Problem(path, $"{text} does not belong to the year {y} (dates of a year lie in that year, or in the December before or January after it)");
                return null;
            }

            return date;
        }

        private bool Required(JsonElement owner, string property, string parent, out JsonElement element)
        {
            if (owner.TryGetProperty(property, out element) && element.ValueKind != JsonValueKind.Null)
            {
                return true;
            }

            Problem(Join(parent, property), "is missing");
            return false;
        }

        private string? RequiredString(JsonElement owner, string property, string parent)
        {
            if (!Required(owner, property, parent, out var element))
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
            {
                Problem(Join(parent, property), $"expected a non-empty text, found {Describe(element)}");
                return null;
            }

            return element.GetString()!.Trim();
        }

        private string? OptionalString(JsonElement owner, string property, string parent)
        {
            if (!owner.TryGetProperty(property, out var element) || element.ValueKind == JsonValueKind.Null)
            {
                return null;
            }

            if (element.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(element.GetString()))
            {
                Problem(Join(parent, property), $"expected a non-empty text, found {Describe(element)}");
                return null;
            }

            return element.GetString()!.Trim();
        }

        private bool RequiredArray(JsonElement owner, string property, string parent, out JsonElement array)
        {
            if (!Required(owner, property, parent, out array))
            {
                return false;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                Problem(Join(parent, property), $"expected a list [ … ], found {Describe(array)}");
                return false;
            }

            return true;
        }

        private bool OptionalArray(JsonElement owner, string property, string parent, out JsonElement array)
        {
            if (!owner.TryGetProperty(property, out array) || array.ValueKind == JsonValueKind.Null)
            {
                return false;
            }

            if (array.ValueKind != JsonValueKind.Array)
            {
                Problem(Join(parent, property), $"expected a list [ … ], found {Describe(array)}");
                return false;
            }

            return true;
        }

        private bool IsObject(JsonElement element, string path, string example)
        {
            if (element.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            Problem(path, $"expected an object such as {example}, found {Describe(element)}");
            return false;
        }

        private void RejectUnknown(JsonElement element, string path, string[] known)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (!known.Contains(property.Name, StringComparer.Ordinal))
                {
                    var hint = known.FirstOrDefault(k => k.Equals(property.Name, StringComparison.OrdinalIgnoreCase));
                    Problem(Join(path, property.Name), hint is null
                        ? $"unknown property (known here: {string.Join(", ", known)})"
                        : $"unknown property; did you mean \"{hint}\"? (names are case-sensitive)");
                }
            }
        }

        private void Problem(string path, string message) =>
            Problems.Add(path.Length == 0 ? message : $"{path}: {message}");

        private static string Join(string parent, string property) => parent.Length == 0 ? property : $"{parent}.{property}";

        private static string Quote(string text) => JsonSerializer.Serialize(text, QuoteOptions);

        private static string Format(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

        private static string Describe(HolidayBlock block, int year) =>
            $"{block.Name} {Format(block.First)}..{Format(block.Last)} (year {year})";

        private static string Describe(JsonElement element) => element.ValueKind switch
        {
            JsonValueKind.String => Quote(element.GetString()!),
            JsonValueKind.Number => $"the number {element.GetRawText()}",
            JsonValueKind.True or JsonValueKind.False => element.GetRawText(),
            JsonValueKind.Null => "null",
            JsonValueKind.Array => "a list",
            JsonValueKind.Object => "an object",
            _ => "nothing",
        };

        private static readonly JsonSerializerOptions QuoteOptions = new()
        {
            Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        };
    }
}
