using System.Numerics.Tensors;
using Microsoft.ML.Tokenizers;

namespace ReviewPipeline;

/// <summary>
/// The real components behind the pipeline: the GPT-2 tokenizer (Microsoft.ML.Tokenizers, its vocabulary shipped in a
/// package), and a hashed embedding table with a sentiment direction, computed with System.Numerics.Tensors.
/// </summary>
public sealed class TextModel
{
    public const int Dimensions = 64;
    private const int Buckets = 4096;

    private static readonly string[] s_positive = ["great", "love", "excellent", "good", "perfect", "amazing", "happy", "works"];
    private static readonly string[] s_negative = ["bad", "terrible", "awful", "broken", "poor", "refund", "waste", "disappointed"];

    private readonly float[] _table = new float[Buckets * Dimensions];
    private readonly float[] _direction = new float[Dimensions];

    public TextModel()
    {
        Tokenizer = TiktokenTokenizer.CreateForModel("gpt2");
        var random = new Random(42);
        for (int i = 0; i < _table.Length; i++)
        {
            _table[i] = (float)(random.NextDouble() * 2 - 1);
        }

        // The sentiment direction: from the mean of the negative words' embeddings to the positive ones'.
        float[] positive = Embed(Tokenize(string.Join(' ', s_positive)));
        float[] negative = Embed(Tokenize(string.Join(' ', s_negative)));
        TensorPrimitives.Subtract(positive, negative, _direction);
        TensorPrimitives.Divide(_direction, TensorPrimitives.Norm(_direction), _direction);
    }

    public Tokenizer Tokenizer { get; }

    public int[] Tokenize(string text) => [.. Tokenizer.EncodeToIds(text)];

    /// <summary>The mean of the token rows of the hashed table, normalised.</summary>
    public float[] Embed(int[] tokens)
    {
        var embedding = new float[Dimensions];
        foreach (int token in tokens)
        {
            TensorPrimitives.Add(embedding, _table.AsSpan((token % Buckets) * Dimensions, Dimensions), embedding);
        }

        float norm = TensorPrimitives.Norm(embedding);
        if (norm > 0)
        {
            TensorPrimitives.Divide(embedding, norm, embedding);
        }

        return embedding;
    }

    /// <summary>Scores a batch of embeddings at once: one dot product per row with the sentiment direction, then a sigmoid.</summary>
    public float[] Sentiment(IReadOnlyList<float[]> embeddings)
    {
        var scores = new float[embeddings.Count];
        for (int i = 0; i < scores.Length; i++)
        {
            scores[i] = 6 * TensorPrimitives.Dot(embeddings[i], _direction);
        }

        TensorPrimitives.Sigmoid(scores, scores);
        return scores;
    }
}
