using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>The named arguments of a <c>[MicroBatched]</c> attribute, with their defaults.</summary>
internal readonly struct MicroBatchedSettings
{
    public MicroBatchedSettings(int maxSize, int maxWaitMs, int maxConcurrency, string? name, int dispatchMode = 0, int queueCapacity = 0, int queueFullMode = 0,
        int maxCost = 0, string? costMethod = null)
    {
        MaxCost = maxCost;
        CostMethod = costMethod;
        MaxSize = maxSize;
        MaxWaitMs = maxWaitMs;
        MaxConcurrency = maxConcurrency;
        Name = name;
        DispatchMode = dispatchMode;
        QueueCapacity = queueCapacity;
        QueueFullMode = queueFullMode;
    }

    /// <summary>The names of <c>BatchDispatchMode</c>'s values, by value.</summary>
    public static readonly string[] DispatchModeNames = ["Timed", "Adaptive"];

    /// <summary>The names of <c>QueueFullMode</c>'s values, by value.</summary>
    public static readonly string[] QueueFullModeNames = ["Wait", "Reject"];

    /// <summary><c>BatchDispatchMode</c> as a number; 0 is <c>Timed</c>.</summary>
    public int DispatchMode { get; }

    public int QueueCapacity { get; }

    /// <summary><c>QueueFullMode</c> as a number; 0 is <c>Wait</c>.</summary>
    public int QueueFullMode { get; }

    /// <summary>The cost bound of a batch; 0 means none.</summary>
    public int MaxCost { get; }

    /// <summary>The name of the method that measures an item, or <see langword="null"/>.</summary>
    public string? CostMethod { get; }

    public int MaxSize { get; }

    public int MaxWaitMs { get; }

    public int MaxConcurrency { get; }

    public string? Name { get; }

    public static MicroBatchedSettings From(AttributeData attribute)
    {
        int maxSize = MicroBatchDefaults.MaxBatchSize, maxWaitMs = MicroBatchDefaults.MaxWaitMilliseconds, maxConcurrency = MicroBatchDefaults.MaxConcurrentBatches;
        string? name = null;
        int dispatchMode = 0, queueCapacity = 0, queueFullMode = 0, maxCost = 0;
        string? costMethod = null;
        foreach (KeyValuePair<string, TypedConstant> argument in attribute.NamedArguments)
        {
            object? value = argument.Value.Value;
            switch (argument.Key)
            {
                case "MaxSize" when value is int i:
                    maxSize = i;
                    break;
                case "MaxWaitMs" when value is int i:
                    maxWaitMs = i;
                    break;
                case "MaxConcurrency" when value is int i:
                    maxConcurrency = i;
                    break;
                case "Name":
                    name = value as string;
                    break;
                case "DispatchMode" when value is int i:
                    dispatchMode = i;
                    break;
                case "QueueCapacity" when value is int i:
                    queueCapacity = i;
                    break;
                case "QueueFullMode" when value is int i:
                    queueFullMode = i;
                    break;
                case "MaxCost" when value is int i:
                    maxCost = i;
                    break;
                case "CostMethod":
                    costMethod = value as string;
                    break;
            }
        }

        return new MicroBatchedSettings(maxSize, maxWaitMs, maxConcurrency, name, dispatchMode, queueCapacity, queueFullMode, maxCost, costMethod);
    }

    public static AttributeData? Find(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => TypeNameMatcher.IsMicroBatchedAttribute(a.AttributeClass));
}
