// dotnet run --project samples/QuickStart -c Release
// 4,000 concurrent requests through the InferAsync the generator wrote for SentimentModel.InferBatch, on a real
// ONNX Runtime model, once without batching and once with it.
using QuickStart;

await Showcase.RunAsync(requests: 4_000, Console.Out, progress: !Console.IsOutputRedirected);
