using MicroBatching.Internal;

namespace MicroBatching.Tests;

/// <summary>
/// The state word of one batch, on its own: places are claimed in order, the last place seals, a batch is ready once
/// sealed with every claimed place published, and a cost bound lets in what fits.
/// </summary>
public sealed class BatchNodeTests
{
    private static readonly BatchingSettings s_settings = new(new MicroBatchOptions(), measuresItems: false);

    [Fact]
    public void PlacesAreClaimedInOrderAndTheLastOneSealsTheBatch()
    {
        BatchNode<int, int> node = Node();

        Assert.Equal([0, 1, 2], new[] { node.TryClaim(3), node.TryClaim(3), node.TryClaim(3) });

        Assert.True(BatchNode<int, int>.IsSealed(node.State));
        Assert.Equal(3, BatchNode<int, int>.ClaimedCount(node.State));
        Assert.Equal(-1, node.TryClaim(3));
        Assert.Equal(3, BatchNode<int, int>.ClaimedCount(node.State));
    }

    [Fact]
    public void ABatchIsReadyOnlyWhenSealedAndEveryClaimedPlaceIsPublished()
    {
        BatchNode<int, int> node = Node();
        node.TryClaim(4);
        node.TryClaim(4);

        Assert.False(node.Publish());
        Assert.Equal(1, BatchNode<int, int>.PublishedCount(node.State));
        Assert.False(BatchNode<int, int>.IsReady(node.State));

        Assert.True(node.TrySeal(out int claimed));
        Assert.Equal(2, claimed);
        Assert.False(BatchNode<int, int>.IsReady(node.State));

        Assert.True(node.Publish());
        Assert.True(BatchNode<int, int>.IsReady(node.State));
        Assert.Equal(2, BatchNode<int, int>.PublishedCount(node.State));
    }

    [Fact]
    public void OnlyTheFirstSealCounts()
    {
        BatchNode<int, int> node = Node();
        node.TryClaim(8);

        Assert.True(node.TrySeal(out int first));
        Assert.False(node.TrySeal(out int second));

        Assert.Equal((1, 0), (first, second));
    }

    [Fact]
    public void AnEmptySealedBatchIsReady()
    {
        BatchNode<int, int> node = Node();

        Assert.True(node.TrySeal(out int claimed));

        Assert.Equal(0, claimed);
        Assert.True(BatchNode<int, int>.IsReady(node.State));
    }

    [Fact]
    public void CostIsReservedWhileItFitsAndAnItemAloneMayExceedTheBound()
    {
        BatchNode<int, int> node = Node();

        Assert.True(node.TryReserveCost(6, maxBatchCost: 10));
        Assert.True(node.TryReserveCost(4, maxBatchCost: 10));
        Assert.Equal(10, node.ReservedCost);
        Assert.False(node.TryReserveCost(1, maxBatchCost: 10));
        Assert.True(node.TryReserveCost(0, maxBatchCost: 10));
        Assert.Equal(10, node.ReservedCost);

        BatchNode<int, int> alone = Node();
        Assert.True(alone.TryReserveCost(25, maxBatchCost: 10));
        Assert.False(alone.TryReserveCost(1, maxBatchCost: 10));
        Assert.Equal(25, alone.ReservedCost);
    }

    [Fact]
    public void TheFlagsAndTheFirstTimestampAreRecorded()
    {
        BatchNode<int, int> node = Node();
        Assert.False(node.HasFirstItem);
        Assert.False(node.IsExpired);
        Assert.False(node.IsFullByCost);

        node.SetFirstItemTimestamp(1234);
        node.MarkExpired();
        node.MarkFullByCost();

        Assert.True(node.HasFirstItem);
        Assert.Equal(1234, node.FirstItemTimestamp);
        Assert.True(node.IsExpired);
        Assert.True(node.IsFullByCost);
    }

    [Fact]
    public void TheFirstSuccessorLinkedWins()
    {
        BatchNode<int, int> node = Node();
        node.TrySeal(out _);
        BatchNode<int, int> first = Node(), second = Node();

        Assert.Same(first, node.LinkNext(first));
        Assert.Same(first, node.LinkNext(second));
        Assert.Same(first, node.Next);
    }

    [Fact]
    public void TheTerminalNodeAcceptsNothing()
    {
        BatchNode<int, int> terminal = BatchNode<int, int>.CreateTerminal(s_settings);

        Assert.True(terminal.IsTerminal);
        Assert.Null(terminal.Batch);
        Assert.Equal(-1, terminal.TryClaim(32));
        Assert.False(terminal.TrySeal(out _));
        Assert.False(Node().IsTerminal);
    }

    [Fact]
    public void ClaimsFromManyThreadsGetDistinctPlacesUpToTheSize()
    {
        BatchNode<int, int> node = Node();
        var places = new System.Collections.Concurrent.ConcurrentBag<int>();

        Parallel.For(0, 1_000, _ =>
        {
            int index = node.TryClaim(500);
            if (index >= 0)
            {
                places.Add(index);
            }
        });

        Assert.Equal(Enumerable.Range(0, 500), places.Order());
        Assert.True(BatchNode<int, int>.IsSealed(node.State));
    }

    private static BatchNode<int, int> Node() => new(batch: null, s_settings);
}
