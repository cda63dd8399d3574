using Microsoft.ML.OnnxRuntime;

namespace MicroBatching.Samples;

/// <summary>
/// A text classifier on ONNX Runtime: words are hashed into a bag-of-words vector, and an MLP (512 → 1024 → 1024 → 2)
/// scores the whole batch in one Run. Returns the probability of the positive class for each text.
/// </summary>
/// <remarks>One intra-op thread, so batching, not the model's own threads, is what scales it.</remarks>
public sealed class TextClassifier : IDisposable
{
    public const int Features = 512;

    private readonly InferenceSession _session;

    public TextClassifier()
    {
        byte[] model = MlpModelBuilder.Build(Features, [1024, 1024], 2);
        _session = new InferenceSession(model, new SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
    }

    /// <summary>Scores every text in one call of the model.</summary>
    public float[] Score(IReadOnlyList<string> texts)
    {
        var features = new float[texts.Count * Features];
        for (int row = 0; row < texts.Count; row++)
        {
            Featurize(texts[row], features.AsSpan(row * Features, Features));
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(features, [texts.Count, Features]);
        using IDisposableReadOnlyCollection<OrtValue> outputs =
            _session.Run(new RunOptions(), [MlpModelBuilder.InputName], [input], [MlpModelBuilder.OutputName]);
        ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>();
        var scores = new float[texts.Count];
        for (int row = 0; row < scores.Length; row++)
        {
            scores[row] = 1f / (1f + MathF.Exp(logits[(row * 2)] - logits[(row * 2) + 1]));
        }

        return scores;
    }

    public void Dispose() => _session.Dispose();

    // Stable across processes, unlike string.GetHashCode, so a text always gets the same score.
    private static uint Fnv1a(string word)
    {
        uint hash = 2166136261;
        foreach (char c in word)
        {
            hash = unchecked((hash ^ char.ToLowerInvariant(c)) * 16777619);
        }

        return hash;
    }

    // A hashed bag of words, normalised: enough to give the model real, varied input.
    private static void Featurize(string text, Span<float> features)
    {
        int words = 0;
        foreach (string word in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            features[(int)(Fnv1a(word) % Features)] += 1;
            words++;
        }

        if (words > 0)
        {
            for (int i = 0; i < features.Length; i++)
            {
                features[i] /= words;
            }
        }
    }
}
