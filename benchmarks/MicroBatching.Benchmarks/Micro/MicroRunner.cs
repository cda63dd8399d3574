using Perfolizer.Horology;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using MicroBatching.Benchmarks.Load;

namespace MicroBatching.Benchmarks.Micro;

/// <summary>Runs the micro-benchmarks with a short in-process job and copies the Markdown table next to the load report
/// (without the bold group markers BenchmarkDotNet adds).</summary>
public static class MicroRunner
{
    public static int Run(string[] args)
    {
        ReportPaths paths = ReportPaths.Find(args);
        IConfig config = DefaultConfig.Instance
            .AddJob(Job.ShortRun.WithIterationTime(TimeInterval.FromMilliseconds(250)).WithToolchain(InProcessEmitToolchain.Instance))
            .WithOptions(ConfigOptions.DisableOptimizationsValidator);
        Summary summary = BenchmarkRunner.Run<SubmitCompleteBenchmarks>(config);
        string? table = Directory.GetFiles(summary.ResultsDirectoryPath, "*SubmitComplete*-report-github.md").FirstOrDefault();
        if (table is null)
        {
            Console.Error.WriteLine("BenchmarkDotNet wrote no Markdown report.");
            return 1;
        }

        Directory.CreateDirectory(paths.Directory);
        File.WriteAllText(paths.Micro, string.Join('\n', File.ReadAllLines(table)
            .SkipWhile(l => !l.StartsWith('|') && !l.StartsWith("```", StringComparison.Ordinal))
            .Select(l => l.Replace("**", "", StringComparison.Ordinal))));
        LoadRunner.Rewrite(paths);
        return 0;
    }
}
