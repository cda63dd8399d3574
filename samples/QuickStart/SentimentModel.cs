using MicroBatching;
using MicroBatching.Samples;

namespace QuickStart;

public sealed partial class SentimentModel(TextClassifier classifier)
{
    // One call of the ONNX model scores the whole list.
    [MicroBatched(MaxSize = 32, MaxWaitMs = 2)]
    private IReadOnlyList<float> InferBatch(IReadOnlyList<string> texts) => classifier.Score(texts);
}
