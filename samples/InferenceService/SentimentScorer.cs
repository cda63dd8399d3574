using MicroBatching;

namespace InferenceService;

/// <summary>
/// <c>POST /v1/sentiment</c>: concurrent requests call <c>ScoreAsync(text)</c>, and their texts reach the model together,
/// in one Run. Named <c>InferenceService.SentimentScorer.ScoreBatch</c> in configuration, metrics and traces.
/// </summary>
public sealed partial class SentimentScorer(ReviewModel model)
{
    [MicroBatched(MaxSize = 32, MaxWaitMs = 2)]
    private IReadOnlyList<float> ScoreBatch(IReadOnlyList<string> texts)
    {
        var tokens = new int[texts.Count][];
        for (int i = 0; i < tokens.Length; i++)
        {
            tokens[i] = model.Tokenize(texts[i]);
        }

        return model.Score(tokens);
    }
}
