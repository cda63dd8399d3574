using System.Diagnostics;

namespace SentimentService;

/// <summary>
/// Where the model runs. Every call pays a fixed cost whatever its size, as a GPU kernel launch and transfer or an ONNX
/// Runtime session run does; here it is 300 µs of busy work so that the sample needs no GPU.
/// </summary>
public sealed class InferenceDevice
{
    public static readonly TimeSpan CallOverhead = TimeSpan.FromMicroseconds(300);

    private long _calls;

    public long Calls => Interlocked.Read(ref _calls);

    public void Run(Action compute)
    {
        Interlocked.Increment(ref _calls);
        long until = Stopwatch.GetTimestamp() + (long)(CallOverhead.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < until)
        {
            Thread.SpinWait(20);
        }

        compute();
    }
}
