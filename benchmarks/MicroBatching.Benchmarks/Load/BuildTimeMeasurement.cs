using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MicroBatching.Benchmarks.Load;

/// <summary>
/// Builds a generated project with 500 <c>[MicroBatched]</c> methods (50 classes of 10, each with a caller) and reads, from
/// the compiler's <c>-p:ReportAnalyzer=true</c> report, how long the MicroBatching generator and analyzers took.
/// </summary>
public static partial class BuildTimeMeasurement
{
    public const int Classes = 50;
    public const int MethodsPerClass = 10;
    private const int MeasuredBuilds = 3;

    public static async Task<int> RunAsync(string[] args)
    {
        ReportPaths paths = ReportPaths.Find(args);
        string project = Path.Combine(Path.GetTempPath(), $"microbatching-buildtime-{Environment.ProcessId}");
        Directory.CreateDirectory(project);
        try
        {
            WriteProject(project, paths.Root);
            await RunDotnetAsync(project, "restore");

            var samples = new List<BuildTimeSample>();
            foreach (bool compilerServer in new[] { true, false })
            {
                samples.Add(await MeasureAsync(project, compilerServer));
            }

            var result = new BuildTimeResult(Classes * MethodsPerClass, samples);
            foreach (BuildTimeSample sample in samples)
            {
                Console.WriteLine($"{sample.Mode}: build {sample.BuildSeconds:F2} s, csc {sample.CompilerSeconds:F2} s, generator {sample.GeneratorSeconds:F3} s, " +
                                  $"analyzers {sample.AnalyzerSeconds:F3} s: {sample.ShareOfBuild:P1} of the build.");
            }

            LoadRunner.WriteBuildTime(result, paths);
            LoadRunner.Rewrite(paths);
            return 0;
        }
        finally
        {
            await RunDotnetAsync(project, "build-server shutdown --vbcscompiler");
            Directory.Delete(project, recursive: true);
        }
    }

    private static async Task<BuildTimeSample> MeasureAsync(string project, bool compilerServer)
    {
        string server = $"-p:UseSharedCompilation={(compilerServer ? "true" : "false")}";

        // A first build warms the compiler server (when used); each measured one rebuilds everything.
        await RunDotnetAsync(project, $"build -c Release --no-restore {server}");
        var samples = new List<BuildTimeSample>();
        for (int run = 0; run < MeasuredBuilds; run++)
        {
            var stopwatch = Stopwatch.StartNew();
            string output = await RunDotnetAsync(project, $"build -c Release --no-restore --no-incremental {server} -p:ReportAnalyzer=true -v:detailed -clp:PerformanceSummary");
            stopwatch.Stop();
            if (run == 0)
            {
                foreach (string line in output.Split('\n').Where(line => line.Contains("MicroBatching", StringComparison.Ordinal) && SecondsAtStart().IsMatch(line)))
                {
                    Console.WriteLine(line.TrimEnd());
                }
            }

            samples.Add(new BuildTimeSample(
                compilerServer,
                stopwatch.Elapsed.TotalSeconds,
                CompilerSeconds(output),
                SecondsFor(output, "MicroBatching.Generators"),
                SecondsFor(output, "MicroBatching.Analyzers")));
        }

        return Median.Of(samples, s => s.ShareOfBuild);
    }

    private static void WriteProject(string directory, string root)
    {
        string runtime = typeof(MicroBatcher<,>).Assembly.Location;
        string generator = Path.Combine(root, "src/Generators/MicroBatching.Generators/bin/Release/netstandard2.0/MicroBatching.Generators.dll");
        string analyzers = Path.Combine(root, "src/Analyzers/MicroBatching.Analyzers/bin/Release/netstandard2.0/MicroBatching.Analyzers.dll");
        File.WriteAllText(Path.Combine(directory, "BuildTime.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
              </PropertyGroup>
              <ItemGroup>
                <Reference Include="MicroBatching" HintPath="{runtime}" />
                <Analyzer Include="{generator}" />
                <Analyzer Include="{analyzers}" />
              </ItemGroup>
            </Project>
            """);

        for (int c = 0; c < Classes; c++)
        {
            var source = new StringBuilder();
            source.AppendLine("using MicroBatching;");
            source.AppendLine("namespace BuildTime;");
            source.AppendLine($"public sealed partial class Model{c}");
            source.AppendLine("{");
            for (int m = 0; m < MethodsPerClass; m++)
            {
                source.AppendLine($"    [MicroBatched(MaxSize = {8 + m}, MaxWaitMs = {m})]");
                source.AppendLine($"    private Task<IReadOnlyList<int>> Score{m}BatchAsync(IReadOnlyList<string> texts, CancellationToken ct) =>");
                source.AppendLine("        Task.FromResult<IReadOnlyList<int>>(texts.Select(t => t.Length).ToList());");
                source.AppendLine();
                source.AppendLine($"    public async Task<int> Use{m}Async(string text) => await Score{m}Async(text) + (await Score{m}ManyAsync([text, text])).Sum();");
                source.AppendLine();
            }

            source.AppendLine("}");
            File.WriteAllText(Path.Combine(directory, $"Model{c}.cs"), source.ToString());
        }
    }

    private static async Task<string> RunDotnetAsync(string directory, string arguments)
    {
        var start = new ProcessStartInfo("dotnet", arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet {arguments} failed:\n{await output}\n{await error}");
        }

        return await output;
    }

    // The report lists each analyzer assembly as "   0.100   81   MicroBatching.Analyzers, Version=…"; generators likewise.
    private static double SecondsFor(string output, string assembly) =>
        output.Split('\n')
            .Where(line => line.Contains(assembly + ", Version=", StringComparison.Ordinal))
            .Select(line => SecondsAtStart().Match(line))
            .Where(match => match.Success)
            .Sum(match => double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture));

    private static double CompilerSeconds(string output)
    {
        Match match = CscTask().Match(output);
        return match.Success ? double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture) / 1000 : 0;
    }

    [GeneratedRegex(@"^\s*([0-9]+\.[0-9]+)\s")]
    private static partial Regex SecondsAtStart();

    [GeneratedRegex(@"\s(\d+) ms\s+Csc\s", RegexOptions.None)]
    private static partial Regex CscTask();
}
