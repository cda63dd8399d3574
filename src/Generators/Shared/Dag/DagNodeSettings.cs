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

    // MaxSize, MaxWaitMs and MaxConcurrency mean what they mean on [MicroBatched], and are read the same way.
    public static DagNodeSettings From(AttributeData attribute)
    {
        MicroBatchedSettings batching = MicroBatchedSettings.From(attribute);
        bool output = attribute.NamedArguments.Any(argument => argument.Key == "Output" && argument.Value.Value is true);
        return new DagNodeSettings(batching.MaxSize, batching.MaxWaitMs, batching.MaxConcurrency, output);
    }

    public static AttributeData? Find(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a =>
            a.AttributeClass is { } attribute && TypeNameMatcher.IsType(attribute, TypeNames.MicroBatchingNamespace, TypeNames.DagNodeAttribute, 0));
}
