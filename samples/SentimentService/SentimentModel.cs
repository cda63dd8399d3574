using System.Numerics.Tensors;
using MicroBatching;

namespace SentimentService;

/// <summary>
/// A linear sentiment model over hashed bag-of-words features: a batch of reviews becomes a feature matrix, scored with
/// one matrix-vector product on the device. Callers use the generated <c>ScoreAsync(string)</c>.
/// </summary>
public sealed partial class SentimentModel(InferenceDevice device)
{
    private const int Features = 1024;
    private static readonly float[] s_weights = TrainedWeights();

    /// <summary>Scores reviews from 0 (negative) to 1 (positive), in order.</summary>
    [MicroBatched(MaxSize = 32, MaxWaitMs = 5)]
    private IReadOnlyList<float> ScoreBatch(IReadOnlyList<string> reviews)
    {
        var featureMatrix = new float[reviews.Count * Features];
        for (int row = 0; row < reviews.Count; row++)
        {
            Featurize(reviews[row], featureMatrix.AsSpan(row * Features, Features));
        }

        var scores = new float[reviews.Count];
        device.Run(() =>
        {
            for (int row = 0; row < scores.Length; row++)
            {
                scores[row] = TensorPrimitives.Dot(featureMatrix.AsSpan(row * Features, Features), s_weights);
            }

            TensorPrimitives.Sigmoid(scores, scores);
        });
        return scores;
    }

    private static void Featurize(string review, Span<float> features)
    {
        foreach (string word in review.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            features[Bucket(word)] += 1f;
        }

        float norm = TensorPrimitives.Norm(features);
        if (norm > 0)
        {
            TensorPrimitives.Divide(features, norm, features);
        }
    }

    private static int Bucket(string word) => (int)((uint)StringComparer.OrdinalIgnoreCase.GetHashCode(word.Trim('.', ',', '!', '?')) % Features);

    // Stands in for weights learned offline: a small lexicon.
    private static float[] TrainedWeights()
    {
        var weights = new float[Features];
        (string Word, float Weight)[] lexicon =
        [
            ("great", 3f), ("excellent", 3.5f), ("love", 3f), ("perfect", 3f), ("good", 2f), ("fast", 1f), ("recommend", 2f),
            ("terrible", -3.5f), ("awful", -3.5f), ("broken", -3f), ("refund", -2.5f), ("bad", -2f), ("slow", -1.5f), ("never", -1f),
        ];
        foreach ((string word, float weight) in lexicon)
        {
            weights[Bucket(word)] += weight;
        }

        return weights;
    }
}
