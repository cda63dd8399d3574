using System.Text.Json;

namespace MicroBatching.Benchmarks.Load;

/// <summary>
/// The load runner: runs S1 to S5 and writes <c>docs/benchmarks.md</c>, its charts and <c>results.json</c>.
/// <c>--quick</c> shortens every scenario (for a smoke test; the numbers are then too noisy to keep).
/// </summary>
public static class LoadRunner
{
    private static readonly JsonSerializerOptions s_json = new() { WriteIndented = true };

    public static async Task<int> RunAsync(string[] args)
    {
        bool quick = args.Contains("--quick");
        string only = args.FirstOrDefault(a => a.StartsWith("--only=", StringComparison.Ordinal))?["--only=".Length..] ?? "S1,S2,S3,S4,S5";
        ReportPaths paths = ReportPaths.Find(args);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Action<string> log = line => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:F1} s] {line}");

        log($"Load runner{(quick ? " (quick)" : "")}: writing to {paths.Page}");
        var report = new LoadReport(
            MachineInfo.Capture(),
            DateTimeOffset.UtcNow,
            "dotnet run -c Release --project benchmarks/MicroBatching.Benchmarks -- load",
            only.Contains("S1") ? await SaturationScenario.RunAsync(TimeSpan.FromSeconds(quick ? 1 : 3), quick ? 1 : 3, log) : [],
            only.Contains("S2") ? await LowLoadScenario.RunAsync(log) : [],
            only.Contains("S3") ? await BurstScenario.RunAsync(quick ? 1 : 11, log) : [],
            only.Contains("S4") ? await RealisticCostScenario.RunAsync(TimeSpan.FromSeconds(quick ? 0.5 : 1.5), log) : [],
            only.Contains("S5") ? await ConcurrencySweepScenario.RunAsync(TimeSpan.FromSeconds(0.3), quick ? 1 : 3, log) : [],
            ReadBuildTime(paths),
            ReadTimerCost(paths),
            ReadDag(paths));

        Write(report, paths);
        foreach (TargetVerdict verdict in TargetVerdicts.Evaluate(report))
        {
            log($"{(verdict.Met ? "met    " : "MISSED ")} {verdict.Target}: {verdict.Measured} (wanted {verdict.Requirement})");
        }

        return 0;
    }

    /// <summary>Writes the JSON, the charts and the page for a report.</summary>
    public static void Write(LoadReport report, ReportPaths paths)
    {
        Directory.CreateDirectory(paths.Directory);
        File.WriteAllText(paths.Results, JsonSerializer.Serialize(report, s_json));
        Charts.RenderAll(report, paths.Directory);
        File.WriteAllText(paths.Page, MarkdownReport.Render(report, ReadIfExists(paths.Micro), ReadIfExists(paths.WhyMissed)));
    }

    /// <summary>Regenerates the page from the last results, after a build-time or micro-benchmark measurement.</summary>
    public static void Rewrite(ReportPaths paths)
    {
        if (File.Exists(paths.Results) && JsonSerializer.Deserialize<LoadReport>(File.ReadAllText(paths.Results), s_json) is { } report)
        {
            Write(report with { BuildTime = ReadBuildTime(paths), TimerCost = ReadTimerCost(paths), Dag = ReadDag(paths) }, paths);
        }
    }

    public static void WriteBuildTime(BuildTimeResult result, ReportPaths paths)
    {
        Directory.CreateDirectory(paths.Directory);
        File.WriteAllText(paths.BuildTime, JsonSerializer.Serialize(result, s_json));
    }

    private static string? ReadIfExists(string path) => File.Exists(path) ? File.ReadAllText(path) : null;

    private static Dag.DagBenchmarkResult? ReadDag(ReportPaths paths) =>
        File.Exists(paths.Dag) ? JsonSerializer.Deserialize<Dag.DagBenchmarkResult>(File.ReadAllText(paths.Dag), s_json) : null;

    private static TimerCostResult? ReadTimerCost(ReportPaths paths) =>
        File.Exists(paths.TimerCost) ? JsonSerializer.Deserialize<TimerCostResult>(File.ReadAllText(paths.TimerCost), s_json) : null;

    private static BuildTimeResult? ReadBuildTime(ReportPaths paths) =>
        File.Exists(paths.BuildTime) ? JsonSerializer.Deserialize<BuildTimeResult>(File.ReadAllText(paths.BuildTime), s_json) : null;
}

/// <summary>Where the runner writes: the repository's <c>docs/</c> unless <c>--out=DIR</c> says otherwise.</summary>
public sealed record ReportPaths(string Root, string Docs)
{
    public string Page => Path.Combine(Docs, "benchmarks.md");

    public string Directory => Path.Combine(Docs, "benchmarks");

    public string Results => Path.Combine(Directory, "results.json");

    public string BuildTime => Path.Combine(Directory, "buildtime.json");

    public string TimerCost => Path.Combine(Directory, "timercost.json");

    public string Dag => Path.Combine(Directory, "dag.json");

    public string Micro => Path.Combine(Directory, "micro.md");

    public string WhyMissed => Path.Combine(Directory, "why-targets-are-missed.md");

    public static ReportPaths Find(string[] args)
    {
        string root = FindRepositoryRoot();
        string? docs = args.FirstOrDefault(a => a.StartsWith("--out=", StringComparison.Ordinal))?["--out=".Length..];
        return new ReportPaths(root, Path.GetFullPath(docs ?? Path.Combine(root, "docs")));
    }

    private static string FindRepositoryRoot()
    {
        for (DirectoryInfo? directory = new(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Toolkit.sln")))
            {
                return directory.FullName;
            }
        }

        return System.IO.Directory.GetCurrentDirectory();
    }
}
