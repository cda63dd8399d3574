namespace InferenceService;

/// <summary>The body of <c>POST /v1/sentiment</c> and <c>POST /v1/reviews:analyze</c>.</summary>
public sealed record TextRequest(string? Text);

/// <summary>What <c>POST /v1/sentiment</c> answers.</summary>
public sealed record SentimentResponse(float Score, string Label);

internal static class Labels
{
    public static string Of(float score) => score >= 0.5f ? "positive" : "negative";
}
