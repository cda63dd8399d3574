using MicroBatching;

namespace InferenceService;

/// <summary>What <c>POST /v1/reviews:analyze</c> answers.</summary>
public sealed record ReviewVerdict(float Sentiment, bool Spam, string Label, int Tokens);

/// <summary>
/// <c>POST /v1/reviews:analyze</c>: a review goes through tokenize → sentiment and spam → decide, and every node runs
/// the reviews of concurrent requests as one batch (<c>ExecuteAsync</c>).
/// </summary>
[BatchDag(MaxParallelism = 2)]
public sealed partial class ReviewAnalysis(ReviewModel model)
{
    [DagNode(MaxSize = 64)]
    private IReadOnlyList<int[]> Tokenize(IReadOnlyList<string> review)
    {
        var tokens = new int[review.Count][];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = model.Tokenize(review[i]);
        }

        return tokens;
    }

    [DagNode(MaxSize = 32)]
    private float[] Sentiment(IReadOnlyList<int[]> tokenize) => model.Score(tokenize);

    // Shouting, links, or a text that repeats its own tokens over and over.
    [DagNode(MaxSize = 256)]
    private IReadOnlyList<bool> Spam(IReadOnlyList<string> review, IReadOnlyList<int[]> tokenize)
    {
        var spam = new bool[review.Count];
        for (int i = 0; i < spam.Length; i++)
        {
            int[] tokens = tokenize[i];
            spam[i] = review[i].Count(c => c == '!') >= 3 || review[i].Contains("http", StringComparison.OrdinalIgnoreCase) ||
                      (tokens.Length >= 8 && tokens.Distinct().Count() * 3 < tokens.Length);
        }

        return spam;
    }

    [DagNode(MaxSize = 256, Output = true)]
    private IReadOnlyList<ReviewVerdict> Decide(IReadOnlyList<float> sentiment, IReadOnlyList<bool> spam, IReadOnlyList<int[]> tokenize)
    {
        var verdicts = new ReviewVerdict[sentiment.Count];
        for (int i = 0; i < verdicts.Length; i++)
        {
            string label = spam[i] ? "spam" : Labels.Of(sentiment[i]);
            verdicts[i] = new ReviewVerdict(sentiment[i], spam[i], label, tokenize[i].Length);
        }

        return verdicts;
    }
}
