using System.Reflection;
using System.Text.RegularExpressions;
using QuickStart;

namespace MicroBatching.Samples.Tests;

public sealed partial class QuickStartSampleTests
{
    private static readonly string s_root = typeof(QuickStartSampleTests).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "RepositoryRoot").Value!;

    [Fact]
    public async Task TheShowcaseServesEveryRequestThroughTheGeneratedWrapperAndBatchesThem()
    {
        var output = new StringWriter();

        // The showcase itself checks that every caller got the score of its own text, and throws if not.
        (ModeReport unbatched, ModeReport batched) = await Showcase.RunAsync(200, output, progress: false).WaitAsync(TimeSpan.FromMinutes(2));

        Assert.Equal(200, unbatched.ModelCalls);
        Assert.Equal([1], unbatched.BatchSizes.Keys);
        Assert.InRange(batched.ModelCalls, 7, 199);          // at least ceil(200 / MaxSize 32) calls, and fewer than one per request
        Assert.All(batched.BatchSizes.Keys, size => Assert.InRange(size, 1, 32));
        Assert.Equal(200, batched.BatchSizes.Sum(s => s.Key * s.Value));
        Assert.Matches(@"batched: \d+\.\d× the throughput, p99 [\d,.]+ ms", output.ToString());
    }

    [Fact]
    public void TheReadmeOpensWithTheQuickStartsOwnCode()
    {
        string[] blocks = [.. CSharpBlock().Matches(File.ReadAllText(Path.Combine(s_root, "README.md"))).Select(m => m.Groups["code"].Value.ReplaceLineEndings("\n"))];
        string model = File.ReadAllText(Path.Combine(s_root, "samples/QuickStart/SentimentModel.cs")).ReplaceLineEndings("\n");
        string showcase = File.ReadAllText(Path.Combine(s_root, "samples/QuickStart/Showcase.cs")).ReplaceLineEndings("\n");

        // The class with the attribute, and the call of the generated wrapper, compile as part of the sample.
        Assert.Contains(blocks[0], model, StringComparison.Ordinal);
        Assert.Contains(blocks[1].Trim(), showcase, StringComparison.Ordinal);
    }

    [GeneratedRegex("```csharp\\n(?<code>.*?)```", RegexOptions.Singleline)]
    private static partial Regex CSharpBlock();
}
