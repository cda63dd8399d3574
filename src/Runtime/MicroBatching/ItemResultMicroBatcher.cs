using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using MicroBatching.Internal;
using Microsoft.Extensions.Logging;

namespace MicroBatching;

/// <summary>
/// Batches calls into a function that returns one <see cref="BatchItemResult{T}"/> per item, so that one bad input fails
/// only its own caller: each caller gets its own value or its own exception. A failure of the whole call (the function
/// throws, or returns a result of the wrong count) still fails every caller of the batch.
/// </summary>
/// <typeparam name="TItem">The type of one input item.</typeparam>
/// <typeparam name="TResult">The type of one value.</typeparam>
public sealed class ItemResultMicroBatcher<TItem, TResult> : IMicroBatcher, IDrainable
{
    private readonly MicroBatcher<TItem, BatchItemResult<TResult>> _batcher;

    /// <summary>Creates a batcher over <paramref name="batchFunction"/>.</summary>
    /// <param name="batchFunction">Returns one outcome per item, in item order.</param>
    /// <param name="options">How to batch; the defaults when <see langword="null"/>.</param>
    /// <param name="timeProvider">The clock and timers; see <see cref="MicroBatcher{TItem, TResult}"/>.</param>
    /// <param name="logger">Receives failures no caller can.</param>
    [OverloadResolutionPriority(1)]
    public ItemResultMicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<BatchItemResult<TResult>>>> batchFunction,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
    {
        _batcher = new MicroBatcher<TItem, BatchItemResult<TResult>>(batchFunction, options, timeProvider, logger)
        {
            // An item that failed is its caller's failure, not the batch's success.
            IsFailedResult = static result => !result.IsSuccess,
        };
    }

    /// <summary>Creates a batcher over a <see cref="Task{TResult}"/>-returning <paramref name="batchFunction"/>.</summary>
    /// <inheritdoc cref="ItemResultMicroBatcher{TItem, TResult}(Func{IReadOnlyList{TItem}, CancellationToken, ValueTask{IReadOnlyList{BatchItemResult{TResult}}}}, MicroBatchOptions?, TimeProvider?, ILogger?)"/>
    public ItemResultMicroBatcher(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<BatchItemResult<TResult>>>> batchFunction,
        MicroBatchOptions? options = null,
        TimeProvider? timeProvider = null,
        ILogger? logger = null)
        : this(AsValueTaskFunction(batchFunction), options, timeProvider, logger)
    {
    }

    /// <inheritdoc/>
    public string? Name => _batcher.Name;

    /// <summary>Returns the value for <paramref name="item"/>, or throws the exception the batch function returned for it.</summary>
    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public async ValueTask<TResult> ProcessAsync(TItem item, CancellationToken cancellationToken = default)
    {
        BatchItemResult<TResult> result = await _batcher.ProcessAsync(item, cancellationToken).ConfigureAwait(false);
        return result.Value;
    }

    /// <summary>
    /// Submits every item at once and returns the values in input order. Every item is awaited even if some fail; the task
    /// then faults with the first failure in input order.
    /// </summary>
    public async Task<IReadOnlyList<TResult>> ProcessManyAsync(IEnumerable<TItem> items, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<BatchItemResult<TResult>> results = await _batcher.ProcessManyAsync(items, cancellationToken).ConfigureAwait(false);
        var values = new TResult[results.Count];
        for (int i = 0; i < values.Length; i++)
        {
            if (results[i].Exception is { } failure)
            {
                ExceptionDispatchInfo.Throw(failure);
            }

            values[i] = results[i].Value;
        }

        return values;
    }

    /// <inheritdoc/>
    public MicroBatcherStatistics GetStatistics() => _batcher.GetStatistics();

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.Reconfigure(MicroBatchOptions)"/>
    public void Reconfigure(MicroBatchOptions options) => _batcher.Reconfigure(options);

    /// <inheritdoc cref="MicroBatcher{TItem, TResult}.GetOptions"/>
    public MicroBatchOptions GetOptions() => _batcher.GetOptions();

    /// <inheritdoc/>
    public ValueTask DisposeAsync() => _batcher.DisposeAsync();

    /// <inheritdoc/>
    Task IDrainable.Drained => ((IDrainable)_batcher).Drained;

    /// <inheritdoc/>
    public override string ToString() => _batcher.ToString();

    private static Func<IReadOnlyList<TItem>, CancellationToken, ValueTask<IReadOnlyList<BatchItemResult<TResult>>>> AsValueTaskFunction(
        Func<IReadOnlyList<TItem>, CancellationToken, Task<IReadOnlyList<BatchItemResult<TResult>>>> batchFunction)
    {
        ArgumentNullException.ThrowIfNull(batchFunction);
        return (items, cancellationToken) => new ValueTask<IReadOnlyList<BatchItemResult<TResult>>>(batchFunction(items, cancellationToken));
    }
}
