using System.Diagnostics;

namespace MicroBatching.Internal;

/// <summary>
/// Resumes the callers of one run of a batch. Resuming a caller runs its continuation, so a runner takes callers one after
/// another from a shared index instead of queueing a work item for each. A runner that has spent a while calls a helper
/// in (up to one per processor), and <see cref="ResumeWatchdog"/> adds one when every runner is stuck inside a
/// continuation that does not return. See docs/architecture.md, "Resuming callers".
/// </summary>
/// <remarks>
/// Owned by its pooled <see cref="Batch{TItem, TResult}"/> and reused with it: one word packs the generation of the current
/// use with the runners at work, so a helper or a look that comes late can never join a later use.
/// </remarks>
internal sealed class CallerResumption<TItem, TResult> : WatchedResumption, IThreadPoolWorkItem
{
    // How long one runner resumes callers before it calls a helper in. Fast continuations finish well within it, and an
    // extra runner would only contend with the first; a slow one should not hold back the rest of the batch for long.
    private static readonly TimeSpan s_helpAfter = TimeSpan.FromMicroseconds(50);

    private const int RunnerBits = 16;
    private const long RunnerMask = (1L << RunnerBits) - 1;

    private readonly Batch<TItem, TResult> _batch;

    // Generation (high bits) and runners at work (low bits). Runners is 0 between uses.
    private long _state;

    // The next caller index to take; runners increment it past the end, so it only ever grows within a use.
    private int _nextToResume;
    private int _callerCount;

    // What the watchdog saw at its last look; touched only while this resumption is watched.
    private long _watchGeneration;
    private int _watchLastSeen;

    public CallerResumption(Batch<TItem, TResult> batch) => _batch = batch;

    private static long Generation(long state) => state >> RunnerBits;

    private static int Runners(long state) => (int)(state & RunnerMask);

    private static long Pack(long generation, int runners) => (generation << RunnerBits) | (uint)runners;

    protected override bool IsUnderWay => Runners(Volatile.Read(ref _state)) != 0;

    /// <summary>Starts resuming <paramref name="callerCount"/> callers, with the caller of this method as the first runner.</summary>
    public void Start(int callerCount)
    {
        long state = Volatile.Read(ref _state);
        Debug.Assert(Runners(state) == 0, "A resumption started while the previous use still had runners.");
        _callerCount = callerCount;
        _nextToResume = 0;
        long generation = Generation(state) + 1;
        Volatile.Write(ref _state, Pack(generation, 1));
        if (callerCount > 1 && !WorkItems.UnderExplorer && TryStartWatch())
        {
            // A runner stuck in a continuation cannot call for help itself, so the watchdog keeps an eye on it.
            _watchGeneration = generation;
            _watchLastSeen = 0;
            ResumeWatchdog.Watch(this);
        }
    }

    /// <summary>Hands the first runner's work to the thread pool, for a thread that has other work to do.</summary>
    public void RunElsewhere() => WorkItems.Queue(this, preferLocal: true);

    void IThreadPoolWorkItem.Execute() => Run();

    /// <summary>Takes callers until none is left, then leaves; the last runner to leave ends the resumption.</summary>
    public void Run()
    {
        int count = _callerCount;
        TimeProvider clock = _batch.Clock;
        long started = clock.GetTimestamp();
        bool helped = false;
        int resumed = 0;
        for (int index = Interlocked.Increment(ref _nextToResume) - 1; index < count; index = Interlocked.Increment(ref _nextToResume) - 1)
        {
            _batch.ResumeCallerAt(index);

            // Check the clock every few callers only; it costs as much as resuming a fast one.
            if (!helped && (++resumed & 3) == 0 && index + 1 < count && clock.GetElapsedTime(started) > s_helpAfter)
            {
                helped = true;
                CallForHelp();
            }
        }

        long state = Interlocked.Decrement(ref _state);
        Debug.Assert(Runners(state) < RunnerMask, "A runner left a resumption it had not joined.");
        if (Runners(state) == 0)
        {
            _batch.OnCallersResumed();
        }
    }

    // Called by the watchdog only: joins the resumption when no caller was taken since the last look, which means every
    // runner is inside a continuation that does not return.
    public override bool Look()
    {
        long state = Volatile.Read(ref _state);
        if (Runners(state) == 0)
        {
            return false;
        }

        long generation = Generation(state);
        int next = Volatile.Read(ref _nextToResume);
        if (generation == _watchGeneration && next == _watchLastSeen && next < Volatile.Read(ref _callerCount) && TryJoin(generation))
        {
            WorkItems.Queue(this, preferLocal: false);
        }

        _watchGeneration = generation;
        _watchLastSeen = next;
        return true;
    }

    private void CallForHelp()
    {
        long state = Volatile.Read(ref _state);
        if (Runners(state) < Environment.ProcessorCount && TryJoin(Generation(state)))
        {
            WorkItems.Queue(this, preferLocal: false);
        }
    }

    // Adds a runner to the use of the given generation, if it is still under way.
    private bool TryJoin(long generation)
    {
        long state = Volatile.Read(ref _state);
        while (Generation(state) == generation && Runners(state) is > 0 and < (int)RunnerMask)
        {
            long seen = Interlocked.CompareExchange(ref _state, state + 1, state);
            if (seen == state)
            {
                return true;
            }

            state = seen;
        }

        return false;
    }
}
