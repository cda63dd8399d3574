using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Threading.Channels;

namespace MicroBatching.Benchmarks.Contenders;

/// <summary>
/// A System.Threading.Channels batcher as a competent developer writes it: an unbounded single-reader channel of
/// (item, TaskCompletionSource), one consumer loop that takes the first item, then keeps reading until the batch is full
/// or MaxWait has passed since that first item, runs the batch and completes the callers.
/// </summary>
public sealed class ChannelBatcher : IBatchingContender
{
    private readonly BatchWorkload _workload;
    private readonly Channel<PendingCall> _channel = Channel.CreateUnbounded<PendingCall>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _consumer;

    public ChannelBatcher(BatchWorkload workload)
    {
        _workload = workload;
        _consumer = Task.Run(ConsumeAsync);
    }

    public string Name => "Channels";

    public long BatchCalls => _workload.Calls;

    public ValueTask<int> ProcessAsync(int item)
    {
        var call = PendingCall.Create(item);
        if (!_channel.Writer.TryWrite(call))
        {
            throw new ObjectDisposedException(nameof(ChannelBatcher));
        }

        return new ValueTask<int>(call.Completion.Task);
    }

    private async Task ConsumeAsync()
    {
        ChannelReader<PendingCall> reader = _channel.Reader;
        var batch = new List<PendingCall>(_workload.MaxBatchSize);
        var items = new List<int>(_workload.MaxBatchSize);
        var timeout = new CancellationTokenSource();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!reader.TryRead(out PendingCall first))
            {
                continue;
            }

            batch.Add(first);
            long deadline = Stopwatch.GetTimestamp() + (long)(_workload.MaxWait.TotalSeconds * Stopwatch.Frequency);
            while (batch.Count < _workload.MaxBatchSize)
            {
                if (reader.TryRead(out PendingCall next))
                {
                    batch.Add(next);
                    continue;
                }

                TimeSpan remaining = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
                if (remaining <= TimeSpan.Zero)
                {
                    break;
                }

                // CancelAfter truncates to whole milliseconds; rounding up keeps the wait from ending before MaxWait.
                timeout.CancelAfter(TimeSpan.FromMilliseconds(Math.Ceiling(remaining.TotalMilliseconds)));
                try
                {
                    if (!await reader.WaitToReadAsync(timeout.Token).ConfigureAwait(false))
                    {
                        break;
                    }
                }
                catch (OperationCanceledException)
                {
                    break;
                }
                finally
                {
                    if (!timeout.TryReset())
                    {
                        timeout.Dispose();
                        timeout = new CancellationTokenSource();
                    }
                }
            }

            items.Clear();
            foreach (PendingCall call in batch)
            {
                items.Add(call.Item);
            }

            PendingCall.RunAndComplete(_workload, items, CollectionsMarshal.AsSpan(batch));

            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

}
