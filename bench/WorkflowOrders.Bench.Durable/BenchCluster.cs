using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace WorkflowOrders.Bench.Durable;

/// <summary>
/// A throwaway PostgreSQL cluster for the benchmark, durable as in production: fsync, synchronous_commit and
/// full_page_writes on (unlike the test cluster). initdb + pg_ctl from /usr/lib/postgresql/*/bin on a free loopback
/// port; as root they run as the postgres user. pg_stat_statements is loaded so the run can count statements.
/// </summary>
internal sealed class BenchCluster : IDisposable
{
    private static readonly bool IsRoot = Environment.UserName == "root";

    private BenchCluster(string binDirectory, string dataDirectory, int port)
    {
        BinDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string BinDirectory { get; }
    public string DataDirectory { get; }
    public int Port { get; }
    public string Version { get; private set; } = "";

    public static async Task<BenchCluster> StartAsync()
    {
        var bin = FindBinDirectory();
        var data = Path.Combine(Path.GetTempPath(), $"workflow-bench-pg-{Environment.ProcessId}");
        if (Directory.Exists(data))
        {
            Directory.Delete(data, recursive: true);
        }

        Directory.CreateDirectory(data);
        if (IsRoot)
        {
            Run("chown", ["postgres:postgres", data]);
        }

        RunPg($"{bin}/initdb -D {data} -U postgres --auth=trust -E UTF8 --locale=C.UTF-8");
        var cluster = new BenchCluster(bin, data, FreePort());
        await File.AppendAllTextAsync(Path.Combine(data, "postgresql.conf"), $"""

            listen_addresses = '127.0.0.1'
            port = {cluster.Port}
            unix_socket_directories = '{data}'
            fsync = on
            synchronous_commit = on
            full_page_writes = on
            max_connections = 200
            shared_preload_libraries = 'pg_stat_statements'
            pg_stat_statements.track = all

            """).ConfigureAwait(false);
        RunPg($"{bin}/pg_ctl -D {data} -l {data}/server.log -w -t 60 start");
        await using var connection = new NpgsqlConnection(cluster.ConnectionStringFor("postgres"));
        await connection.OpenAsync().ConfigureAwait(false);
        cluster.Version = connection.PostgreSqlVersion.ToString();
        return cluster;
    }

    public string ConnectionStringFor(string database, int maxPoolSize = 100) =>
        new NpgsqlConnectionStringBuilder
        {
            Host = "127.0.0.1",
            Port = Port,
            Username = "postgres",
            Database = database,
            MaxPoolSize = maxPoolSize,
        }.ConnectionString;

    public async Task ExecuteAsync(string database, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionStringFor(database));
        await connection.OpenAsync().ConfigureAwait(false);
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    /// <summary>Runs a client program of the server's bin folder (pgbench) and returns its stdout; stderr on failure.</summary>
    public string RunClient(string program, IEnumerable<string> arguments) =>
        Run(Path.Combine(BinDirectory, program), arguments);

    public void Dispose()
    {
        NpgsqlConnection.ClearAllPools();
        RunPg($"{BinDirectory}/pg_ctl -D {DataDirectory} -m immediate -w stop", check: false);
        Directory.Delete(DataDirectory, recursive: true);
    }

    private static string FindBinDirectory()
    {
        const string root = "/usr/lib/postgresql";
        var found = Directory.Exists(root)
            ? Directory.GetDirectories(root)
                .Select(d => (Dir: Path.Combine(d, "bin"), Version: decimal.TryParse(Path.GetFileName(d), NumberStyles.Number, CultureInfo.InvariantCulture, out var v) ? v : 0m))
                .Where(c => File.Exists(Path.Combine(c.Dir, "initdb")) && File.Exists(Path.Combine(c.Dir, "pgbench")))
                .OrderByDescending(c => c.Version)
                .Select(c => c.Dir)
                .FirstOrDefault()
            : null;
        return found ?? throw new InvalidOperationException("No PostgreSQL server binaries with pgbench under /usr/lib/postgresql/*/bin: run scripts/install-test-deps.sh.");
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

    private static string Run(string fileName, IEnumerable<string> arguments, bool check = true)
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

        return stdout.Result + stderr.Result;
    }
}
