using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>The named arguments of a <c>[DagNode]</c> attribute, with their defaults.</summary>
internal readonly struct DagNodeSettings
{
    private DagNodeSettings(int maxSize, int maxWaitMs, int maxConcurrency, bool output)
    {
        MaxSize = maxSize;
        MaxWaitMs = maxWaitMs;
        MaxConcurrency = maxConcurrency;
        Output = output;
    }

    public int MaxSize { get; }

    public int MaxWaitMs { get; }

    public int MaxConcurrency { get; }

    public bool Output { get; }

    public static DagNodeSettings From(AttributeData attribute)
    {
        int maxSize = MicroBatchDefaults.MaxBatchSize, maxWaitMs = MicroBatchDefaults.MaxWaitMilliseconds, maxConcurrency = MicroBatchDefaults.MaxConcurrentBatches;
        bool output = false;
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
                case "Output" when value is bool b:
                    output = b;
                    break;
            }
        }

        return new DagNodeSettings(maxSize, maxWaitMs, maxConcurrency, output);
    }

    public static AttributeData? Find(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a =>
            a.AttributeClass is { } attribute && TypeNameMatcher.IsType(attribute, TypeNames.MicroBatchingNamespace, TypeNames.DagNodeAttribute, 0));
}
