using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.Tokenizers;
using MicroBatching.Samples;

namespace InferenceService;

/// <summary>
/// The model behind the service: texts are split into GPT-2 tokens, the tokens are hashed into a bag of
/// <see cref="Features"/> counts, and an MLP on ONNX Runtime scores every row of a batch in one Run. Thread-safe.
/// </summary>
/// <remarks>
/// The MLP is written in code with seeded weights (see <see cref="MlpModelBuilder"/>), so the service downloads nothing.
/// One intra-op thread: batching, not the model's own threads, is what makes it fast.
/// </remarks>
public sealed class ReviewModel : IDisposable
{
    public const int Features = 512;

    private readonly InferenceSession _session;
    private readonly TiktokenTokenizer _tokenizer = TiktokenTokenizer.CreateForModel("gpt2");

    public ReviewModel(ModelSettings settings)
    {
        int[] hidden = settings.HiddenLayers is { Length: > 0 } configured ? configured : ModelSettings.DefaultHiddenLayers;
        byte[] model = MlpModelBuilder.Build(Features, hidden, 2);
        _session = new InferenceSession(model, new Microsoft.ML.OnnxRuntime.SessionOptions { IntraOpNumThreads = 1, InterOpNumThreads = 1 });
    }

    /// <summary>The text's GPT-2 token ids.</summary>
    public int[] Tokenize(string text) => [.. _tokenizer.EncodeToIds(text)];

    /// <summary>The probability that each text is positive, from one Run over all of them.</summary>
    public float[] Score(IReadOnlyList<int[]> tokens)
    {
        var features = new float[tokens.Count * Features];
        for (int row = 0; row < tokens.Count; row++)
        {
            Featurize(tokens[row], features.AsSpan(row * Features, Features));
        }

        using OrtValue input = OrtValue.CreateTensorValueFromMemory(features, [tokens.Count, Features]);
        using var runOptions = new RunOptions();
        using IDisposableReadOnlyCollection<OrtValue> outputs =
            _session.Run(runOptions, [MlpModelBuilder.InputName], [input], [MlpModelBuilder.OutputName]);
        ReadOnlySpan<float> logits = outputs[0].GetTensorDataAsSpan<float>();
        var scores = new float[tokens.Count];
        for (int row = 0; row < scores.Length; row++)
        {
            scores[row] = 1f / (1f + MathF.Exp(logits[row * 2] - logits[(row * 2) + 1]));
        }

        return scores;
    }

    public void Dispose() => _session.Dispose();

    // A normalised bag of token ids: the same text always gets the same features, and so the same score.
    private static void Featurize(int[] tokens, Span<float> features)
    {
        foreach (int token in tokens)
        {
            features[(int)((uint)token * 2654435761u % Features)] += 1;
        }

        if (tokens.Length > 0)
        {
            float scale = 1f / tokens.Length;
            for (int i = 0; i < features.Length; i++)
            {
                features[i] *= scale;
            }
        }
    }
}
