using System.Reflection;

namespace MicroBatching.Generators.Tests;

/// <summary>
/// Compares generated source with a checked-in file under <c>Expected/</c>. Set <c>MICROBATCHING_ACCEPT=1</c> to write the
/// current output as the new expectation, then review the diff.
/// </summary>
internal static class GoldenFile
{
    private static readonly string ExpectedDirectory = typeof(GoldenFile).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>()
        .Single(attribute => attribute.Key == "ExpectedOutputDirectory")
        .Value!;

    // The generator's version changes with every release; the expected files say where it goes, not what it is.
    private static readonly string GeneratorVersionLiteral =
        $"\"MicroBatching.Generators\", \"{typeof(MicroBatching.SourceGeneration.MicroBatchedGenerator).Assembly.GetName().Version}\"";

    private const string GeneratorVersionPlaceholder = "\"MicroBatching.Generators\", \"{GeneratorVersion}\"";

    public static void AssertMatches(string actual, string name)
    {
        string path = Path.Combine(ExpectedDirectory, name + ".txt");
        string normalized = actual.ReplaceLineEndings("\n").Replace(GeneratorVersionLiteral, GeneratorVersionPlaceholder);
        if (Environment.GetEnvironmentVariable("MICROBATCHING_ACCEPT") == "1")
        {
            File.WriteAllText(path, normalized);
            return;
        }

        Assert.True(File.Exists(path), $"No expected output at {path}. Run the tests with MICROBATCHING_ACCEPT=1 to create it.");
        Assert.Equal(File.ReadAllText(path).ReplaceLineEndings("\n"), normalized);
    }
}
