namespace MicroBatching.Tests;

public sealed class OptionsTests
{
    private static ValueTask<IReadOnlyList<int>> Identity(IReadOnlyList<int> items, CancellationToken _) =>
        ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());

    public static TheoryData<Action<MicroBatchOptions>, string> InvalidOptions => new()
    {
        { o => o.MaxBatchSize = 0, "MaxBatchSize" },
        { o => o.MaxBatchSize = -3, "MaxBatchSize" },
        { o => o.MaxBatchSize = MicroBatchOptions.MaxBatchSizeLimit + 1, "MaxBatchSize" },
        { o => o.MaxWaitTime = TimeSpan.FromTicks(-1), "MaxWaitTime" },
        { o => o.MaxWaitTime = TimeSpan.FromDays(100), "MaxWaitTime" },
        { o => o.MaxConcurrentBatches = 0, "MaxConcurrentBatches" },
        { o => o.QueueCapacity = -1, "QueueCapacity" },
        { o => o.QueueFullMode = (QueueFullMode)42, "QueueFullMode" },
        { o => o.DispatchMode = (BatchDispatchMode)42, "DispatchMode" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void InvalidOptionsThrowAtConstructionNamingTheProperty(Action<MicroBatchOptions> configure, string property)
    {
        var options = new MicroBatchOptions { Name = "invalid" };
        configure(options);

        var exception = Assert.Throws<ArgumentOutOfRangeException>(() => new MicroBatcher<int, int>(Identity, options));
        Assert.Equal("options", exception.ParamName);
        Assert.Contains(property, exception.Message, StringComparison.Ordinal);
        Assert.Contains("'invalid'", exception.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BoundaryValuesAreValid()
    {
        await using var batcher = new MicroBatcher<int, int>(Identity, new MicroBatchOptions
        {
            MaxBatchSize = 1,
            MaxWaitTime = TimeSpan.Zero,
            MaxConcurrentBatches = 1,
            QueueCapacity = 0,
        });

        Assert.Equal(5, await batcher.ProcessAsync(5).WithTimeout());
    }

    [Fact]
    public void AnItemCostOfTheWrongTypeNamesTheBatcherOrItsType()
    {
        Func<IReadOnlyList<int>, CancellationToken, ValueTask<IReadOnlyList<int>>> echo =
            (items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray());
        Func<string, int> wrong = text => text.Length;

        ArgumentException named = Assert.Throws<ArgumentException>(() => new MicroBatcher<int, int>(echo, new MicroBatchOptions { Name = "ids", ItemCost = wrong }));
        ArgumentException unnamed = Assert.Throws<ArgumentException>(() => new MicroBatcher<int, int>(echo, new MicroBatchOptions { ItemCost = wrong }));

        Assert.StartsWith("ItemCost must be a Func<Int32, int> for the items of micro-batcher 'ids', but was a Func`2.", named.Message);
        Assert.StartsWith("ItemCost must be a Func<Int32, int> for the items of micro-batcher 'MicroBatcher`2', but was a Func`2.", unnamed.Message);
    }

    [Fact]
    public async Task AnUnnamedBatcherDescribesItselfWithoutAName()
    {
        await using var batcher = new MicroBatcher<int, int>((items, _) => ValueTask.FromResult<IReadOnlyList<int>>(items.ToArray()));

        Assert.Equal("MicroBatcher: 0 pending, 0 in flight, 0 dispatched", batcher.ToString());
        await Assert.ThrowsAsync<ArgumentNullException>(() => batcher.ProcessManyAsync(null!));
    }

    [Fact]
    public void NullBatchFunctionThrows() =>
        Assert.Throws<ArgumentNullException>(() => new MicroBatcher<int, int>(null!));

    [Fact]
    public void DefaultsMatchTheDocumentedValues()
    {
        var options = new MicroBatchOptions();
        Assert.Equal(32, options.MaxBatchSize);
        Assert.Equal(TimeSpan.FromMilliseconds(10), options.MaxWaitTime);
        Assert.Equal(1, options.MaxConcurrentBatches);
        Assert.Equal(0, options.QueueCapacity);
        Assert.Equal(QueueFullMode.Wait, options.QueueFullMode);
        Assert.Equal(BatchDispatchMode.Timed, options.DispatchMode);
        Assert.True(options.Enabled);
        Assert.Null(options.Name);
    }

    [Fact]
    public async Task ChangingOptionsAfterConstructionHasNoEffect()
    {
        var function = new ControlledBatchFunction<int, int>();
        var options = new MicroBatchOptions { MaxBatchSize = 2, MaxWaitTime = TimeSpan.FromHours(1) };
        await using var batcher = new MicroBatcher<int, int>(function.Invoke, options);
        options.MaxBatchSize = 1;

        ValueTask<int> first = batcher.ProcessAsync(1);
        Assert.Equal(0, batcher.GetStatistics().BatchesDispatched);
        ValueTask<int> second = batcher.ProcessAsync(2);
        BatchCall<int, int> call = await function.NextCallAsync();
        Assert.Equal([1, 2], call.Items);
        call.Complete(x => x);
        await Task.WhenAll(first.WithTimeout(), second.WithTimeout());
    }
}
