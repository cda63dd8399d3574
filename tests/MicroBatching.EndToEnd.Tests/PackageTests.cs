using System.Diagnostics;
using System.Reflection;

namespace MicroBatching.EndToEnd.Tests;

/// <summary>
/// Packs the MicroBatching package and builds a consumer that references nothing else: one PackageReference must bring
/// the runtime, the generated wrappers and the diagnostics. Then packs MicroBatching.Hosting too, and runs a host that
/// configures a generated batcher from configuration.
/// </summary>
public sealed class PackageTests : IDisposable
{
    private static readonly TimeSpan s_timeout = TimeSpan.FromMinutes(4);

    private readonly string _work = Directory.CreateTempSubdirectory("microbatching-package-").FullName;

    [Fact]
    public async Task OnePackageReferenceGeneratesWrappersAndReportsDiagnostics()
    {
        string version = await PackAsync("MicroBatching", alreadyBuilt: true);
        string consumer = await WriteConsumerAsync("consumer", ("MicroBatching", version));
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), """
            using MicroBatching;

            var doubler = new Doubler();
            int[] doubled = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => doubler.DoubleAsync(i)));
            Console.WriteLine($"sum {doubled.Sum()} in {doubler.Calls} batch calls");

            public sealed partial class Doubler
            {
                public int Calls;

                [MicroBatched(MaxSize = 32, MaxWaitMs = 5000)]
                private Task<IReadOnlyList<int>> DoubleBatchAsync(IReadOnlyList<int> items, CancellationToken cancellationToken)
                {
                    Interlocked.Increment(ref Calls);
                    return Task.FromResult<IReadOnlyList<int>>(items.Select(i => i * 2).ToArray());
                }

                public int Blocking() => DoubleAsync(1).Result;
            }
            """);

        string build = await RunDotnetAsync(consumer, "build", "-c", "Release");
        Assert.Contains("warning MBAT103", build, StringComparison.Ordinal);

        string run = await RunDotnetAsync(consumer, "run", "-c", "Release", "--no-build");
        Assert.Contains($"sum {Enumerable.Range(0, 64).Sum() * 2} in 2 batch calls", run, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheHostingPackageConfiguresGeneratedBatchersOfAConsumer()
    {
        // Both packages, under one version: the hosting package depends on the runtime package of its own version.
        string version = await PackAsync("MicroBatching");
        await PackAsync("MicroBatching.Hosting", version);
        string consumer = await WriteConsumerAsync("hosted", ("MicroBatching.Hosting", version), ("Microsoft.Extensions.Hosting", "10.0.15"));
        await File.WriteAllTextAsync(Path.Combine(consumer, "Program.cs"), """
            using MicroBatching;
            using Microsoft.Extensions.Configuration;
            using Microsoft.Extensions.DependencyInjection;
            using Microsoft.Extensions.Hosting;

            HostApplicationBuilder builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["MicroBatching:Batchers:Shop.Doubler.DoubleBatchAsync:MaxBatchSize"] = "4",
            });
            builder.Services.AddSingleton<Shop.Doubler>();
            builder.Services.AddMicroBatching();
            using IHost host = builder.Build();
            await host.StartAsync();

            var doubler = host.Services.GetRequiredService<Shop.Doubler>();
            int[] doubled = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => doubler.DoubleAsync(i)));
            Console.WriteLine($"sum {doubled.Sum()} in {doubler.Calls} batch calls");
            await host.StopAsync();

            namespace Shop
            {
                public sealed partial class Doubler
                {
                    public int Calls;

                    [MicroBatched(MaxSize = 32, MaxWaitMs = 5000)]
                    private Task<IReadOnlyList<int>> DoubleBatchAsync(IReadOnlyList<int> items, CancellationToken cancellationToken)
                    {
                        Interlocked.Increment(ref Calls);
                        return Task.FromResult<IReadOnlyList<int>>(items.Select(i => i * 2).ToArray());
                    }
                }
            }
            """);

        await RunDotnetAsync(consumer, "build", "-c", "Release");
        string run = await RunDotnetAsync(consumer, "run", "-c", "Release", "--no-build");

        // MaxSize 32 in code, 4 from configuration through the hosting package: 64 calls make 16 batch calls.
        Assert.Contains($"sum {Enumerable.Range(0, 64).Sum() * 2} in 16 batch calls", run, StringComparison.Ordinal);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_work, recursive: true);
        }
        catch (IOException)
        {
            // A build server may still hold a file; the temporary folder is left for the OS to clean.
        }
    }

    private string Feed => Path.Combine(_work, "feed");

    // Packs a project of src/Runtime into the test's feed, under a version of its own unless given one, so that no copy
    // of an earlier package in a NuGet cache can stand in for this one.
    private async Task<string> PackAsync(string project, string? version = null, bool alreadyBuilt = false)
    {
        string root = Metadata("RepositoryRoot");
        version ??= $"0.0.0-test.{Guid.NewGuid():N}";
        string[] build = alreadyBuilt ? ["--no-build", "--no-restore"] : [];
        await RunDotnetAsync(root, ["pack", Path.Combine(root, "src", "Runtime", project), .. build,
            "-c", Metadata("BuildConfiguration"), "-o", Feed, $"-p:PackageVersion={version}"]);
        return version;
    }

    // A console project that restores from the test's feed into a package folder of its own.
    private async Task<string> WriteConsumerAsync(string name, params (string Package, string Version)[] packages)
    {
        string folder = Path.Combine(_work, name);
        Directory.CreateDirectory(folder);
        await File.WriteAllTextAsync(Path.Combine(folder, $"{name}.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <Nullable>enable</Nullable>
                <ImplicitUsings>enable</ImplicitUsings>
                <RestorePackagesPath>{Path.Combine(_work, "packages")}</RestorePackagesPath>
                <RestoreAdditionalProjectSources>{Feed}</RestoreAdditionalProjectSources>
              </PropertyGroup>
              <ItemGroup>
            {string.Join("\n", packages.Select(p => $"    <PackageReference Include=\"{p.Package}\" Version=\"{p.Version}\" />"))}
              </ItemGroup>
            </Project>
            """);
        return folder;
    }

    private static string Metadata(string key) =>
        typeof(PackageTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static async Task<string> RunDotnetAsync(string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No build servers: they would outlive the test and hold its temporary folder.
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.ArgumentList.Add("-p:UseSharedCompilation=false");

        using Process process = Process.Start(start)!;
        Task<string> output = process.StandardOutput.ReadToEndAsync();
        Task<string> error = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(s_timeout);
        await process.WaitForExitAsync(timeout.Token);
        string all = await output + await error;
        Assert.True(process.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} failed with {process.ExitCode}:\n{all}");
        return all;
    }
}
