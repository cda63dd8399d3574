using System.Diagnostics;
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
    private readonly Channel<Request> _channel = Channel.CreateUnbounded<Request>(new UnboundedChannelOptions { SingleReader = true });
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
        var completion = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_channel.Writer.TryWrite(new Request(item, completion)))
        {
            throw new ObjectDisposedException(nameof(ChannelBatcher));
        }

        return new ValueTask<int>(completion.Task);
    }

    private async Task ConsumeAsync()
    {
        ChannelReader<Request> reader = _channel.Reader;
        var batch = new List<Request>(_workload.MaxBatchSize);
        var items = new List<int>(_workload.MaxBatchSize);
        var timeout = new CancellationTokenSource();
        while (await reader.WaitToReadAsync().ConfigureAwait(false))
        {
            if (!reader.TryRead(out Request first))
            {
                continue;
            }

            batch.Add(first);
            long deadline = Stopwatch.GetTimestamp() + (long)(_workload.MaxWait.TotalSeconds * Stopwatch.Frequency);
            while (batch.Count < _workload.MaxBatchSize)
            {
                if (reader.TryRead(out Request next))
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
            foreach (Request request in batch)
            {
                items.Add(request.Item);
            }

            try
            {
                IReadOnlyList<int> results = _workload.Run(items);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Completion.TrySetResult(results[i]);
                }
            }
            catch (Exception exception)
            {
                batch.ForEach(request => request.Completion.TrySetException(exception));
            }

            batch.Clear();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _channel.Writer.TryComplete();
        await _consumer.ConfigureAwait(false);
    }

    private readonly record struct Request(int Item, TaskCompletionSource<int> Completion);
}
