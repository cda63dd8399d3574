using MicroBatching;

namespace ReviewPipeline;

public sealed record ReviewVerdict(string Review, float Sentiment, bool Spam, string Label);

/// <summary>
/// A multi-stage review pipeline, batched at every node: clean → tokenize → embed → sentiment, with a spam check that
/// reads both the clean text and the tokens, and a decision that joins them with the original review.
/// </summary>
[BatchDag(MaxParallelism = 4)]
public sealed partial class ReviewAnalyzer(TextModel model, NodeCounters counters)
{
    [DagNode(MaxSize = 256)]
    private IReadOnlyList<string> Clean(IReadOnlyList<string> review)
    {
        counters.Record(nameof(Clean), review.Count);
        return [.. review.Select(r => string.Join(' ', r.Split(' ', StringSplitOptions.RemoveEmptyEntries)).ToLowerInvariant())];
    }

    [DagNode(MaxSize = 64)]
    private IReadOnlyList<int[]> Tokenize(IReadOnlyList<string> clean)
    {
        counters.Record(nameof(Tokenize), clean.Count);
        return [.. clean.Select(model.Tokenize)];
    }

    [DagNode(MaxSize = 128)]
    private IReadOnlyList<float[]> Embed(IReadOnlyList<int[]> tokenize)
    {
        counters.Record(nameof(Embed), tokenize.Count);
        return [.. tokenize.Select(model.Embed)];
    }

    [DagNode(MaxSize = 256)]
    private float[] Sentiment(IReadOnlyList<float[]> embed)
    {
        counters.Record(nameof(Sentiment), embed.Count);
        return model.Sentiment(embed);
    }

    [DagNode(MaxSize = 256)]
    private IReadOnlyList<bool> Spam(IReadOnlyList<string> clean, IReadOnlyList<int[]> tokenize)
    {
        counters.Record(nameof(Spam), clean.Count);
        return [.. clean.Select((text, i) =>
            text.Count(c => c == '!') >= 3 || text.Contains("http", StringComparison.Ordinal) || tokenize[i].Distinct().Count() * 2 < tokenize[i].Length)];
    }

    [DagNode(MaxSize = 256, Output = true)]
    private IReadOnlyList<ReviewVerdict> Decide(IReadOnlyList<float> sentiment, IReadOnlyList<bool> spam, IReadOnlyList<string> review)
    {
        counters.Record(nameof(Decide), review.Count);
        return [.. review.Select((text, i) =>
            new ReviewVerdict(text, sentiment[i], spam[i], spam[i] ? "spam" : sentiment[i] >= 0.5f ? "positive" : "negative"))];
    }
}
