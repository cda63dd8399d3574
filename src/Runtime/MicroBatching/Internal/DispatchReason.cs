namespace MicroBatching.Internal;

/// <summary>Why a batch left: the <c>microbatching.dispatch.reason</c> tag of its metrics and activity.</summary>
internal enum DispatchReason
{
    /// <summary>It held <see cref="MicroBatchOptions.MaxBatchSize"/> items.</summary>
    Size,

    /// <summary>The next item would not have fitted under <see cref="MicroBatchOptions.MaxBatchCost"/>, or it reached it.</summary>
    Cost,

    /// <summary><see cref="MicroBatchOptions.MaxWaitTime"/> after its first item had passed (at once for a zero wait).</summary>
    Time,

    /// <summary>Disposal sealed it.</summary>
    Drain,

    /// <summary><see cref="BatchDispatchMode.Adaptive"/> sent it as soon as no batch was running.</summary>
    Adaptive,
}
