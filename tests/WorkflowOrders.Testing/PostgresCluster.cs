using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;
using Xunit;

namespace WorkflowOrders.Testing;

/// <summary>
/// A throwaway PostgreSQL cluster started from the installed server binaries (<c>/usr/lib/postgresql/*/bin</c>) on a
/// free loopback port, with durability off (<c>fsync=off</c>, <c>synchronous_commit=off</c>: test data only).
/// As root, initdb and pg_ctl run as the <c>postgres</c> user (the server refuses to run as root). Use it as an xunit
/// collection fixture so one cluster serves every test class of the collection; <see cref="CreateDatabaseAsync"/>
/// gives each test its own database. <c>scripts/install-test-deps.sh</c> installs the server where it is missing.
/// </summary>
public sealed class PostgresCluster : IAsyncLifetime
{
    private const string DirectoryPrefix = "workflow-pg-";
    private static readonly bool IsRoot = Environment.UserName == "root";
    private int _databaseCounter;

    public string BinDirectory { get; private set; } = "";
    public string DataDirectory { get; private set; } = "";
    public int Port { get; private set; }

    /// <summary>Connection string of the <c>postgres</c> maintenance database.</summary>
    public string AdminConnectionString => ConnectionStringFor("postgres");

    public string ConnectionStringFor(string database) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            // Many small databases in one run, each with its own pool: cap each pool (tests clear theirs on dispose).
            MaxPoolSize = 20,
        }.ConnectionString;

    public async Task InitializeAsync()
    {
        BinDirectory = FindBinDirectory();
        StopLeftovers();
        DataDirectory = Path.Combine(Path.GetTempPath(), $"{DirectoryPrefix}{Environment.ProcessId}-{Guid.NewGuid():N}"[..40]);
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(Path.Combine(Path.GetTempPath(), Path.GetFileName(DataDirectory) + ".owner"), Environment.ProcessId.ToString(CultureInfo.InvariantCulture)).ConfigureAwait(false);
        if (IsRoot)
        {
            Run("chown", ["postgres:postgres", DataDirectory]);
        }

        RunPg($"{BinDirectory}/initdb -D {DataDirectory} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync");
        Port = FreePort();
        // In postgresql.conf rather than on pg_ctl's command line, so that a restart (Stop, Start) keeps them.
        await File.AppendAllTextAsync(Path.Combine(DataDirectory, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {Port}
            unix_socket_directories = '{DataDirectory}'
            fsync = off
            synchronous_commit = off
            full_page_writes = off
            max_connections = 200

            """).ConfigureAwait(false);
        Start();
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? prefix = null, string? template = null)
    {
        var name = $"{prefix ?? "test"}_{Interlocked.Increment(ref _databaseCounter)}".ToLowerInvariant();
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = connection.CreateCommand();
#pragma warning disable CA2100 // Names are generated here from a counter and a caller-chosen identifier prefix, never from input.
        command.CommandText = template is null ? $"CREATE DATABASE \"{name}\"" : $"CREATE DATABASE \"{name}\" TEMPLATE \"{template}\"";
#pragma warning restore CA2100
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return ConnectionStringFor(name);
    }

    /// <summary>Stops the server immediately (as in a database outage); <see cref="Start"/> brings it back.</summary>
    public void Stop() => RunPg($"{BinDirectory}/pg_ctl -D {DataDirectory} -m fast -w stop");

    public void Start()
    {
        RunPg($"{BinDirectory}/pg_ctl -D {DataDirectory} -l {DataDirectory}/server.log -w -t 60 start");
        // Only the fixture's own pool: the connections of the code under test meet the restart as production would.
        using var admin = new NpgsqlConnection(AdminConnectionString);
        NpgsqlConnection.ClearPool(admin);
    }

    public Task DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (DataDirectory.Length > 0 && Directory.Exists(DataDirectory))
        {
            RunPg($"{BinDirectory}/pg_ctl -D {DataDirectory} -m immediate -w stop", check: false);
            Directory.Delete(DataDirectory, recursive: true);
            File.Delete(Path.Combine(Path.GetTempPath(), Path.GetFileName(DataDirectory) + ".owner"));
        }

        return Task.CompletedTask;
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var candidates = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")))
                .OrderByDescending(c => c.Version)
                .ToList()
            : [];
        return candidates.Count > 0
            ? candidates[0].Dir
            : throw new InvalidOperationException("No PostgreSQL server binaries under /usr/lib/postgresql/*/bin: run scripts/install-test-deps.sh (apt-get install postgresql).");
    }

    /// <summary>Stops clusters whose test process died before disposing them (a killed test run).</summary>
    private void StopLeftovers()
    {
        foreach (var marker in Directory.GetFiles(Path.GetTempPath(), DirectoryPrefix + "*.owner"))
        {
            var ownerAlive = int.TryParse(File.ReadAllText(marker), NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid) && ProcessExists(pid);
            if (ownerAlive)
            {
                continue;
            }

            var dataDirectory = Path.Combine(Path.GetTempPath(), Path.GetFileNameWithoutExtension(marker));
            if (Directory.Exists(dataDirectory))
            {
                RunPg($"{BinDirectory}/pg_ctl -D {dataDirectory} -m immediate -w stop", check: false);
                Directory.Delete(dataDirectory, recursive: true);
            }

            File.Delete(marker);
        }
    }

    private static bool ProcessExists(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static void RunPg(string commandLine, bool check = true)
    {
        if (IsRoot)
        {
            Run("su", ["postgres", "-c", commandLine], check);
        }
        else
        {
            Run("/bin/sh", ["-c", commandLine], check);
        }
    }

    private static void Run(string fileName, IEnumerable<string> arguments, bool check = true)
    {
        var info = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"Could not start {fileName}.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        process.WaitForExit();
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{fileName} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {stderr.Result}{stdout.Result}");
        }
    }
}
