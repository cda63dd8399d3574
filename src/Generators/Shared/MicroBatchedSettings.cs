using Microsoft.CodeAnalysis;

namespace MicroBatching.SourceGeneration;

/// <summary>The named arguments of a <c>[MicroBatched]</c> attribute, with their defaults.</summary>
internal readonly struct MicroBatchedSettings
{
    public MicroBatchedSettings(int maxSize, int maxWaitMs, int maxConcurrency, string? name)
    {
        MaxSize = maxSize;
        MaxWaitMs = maxWaitMs;
        MaxConcurrency = maxConcurrency;
        Name = name;
    }

    public int MaxSize { get; }

    public int MaxWaitMs { get; }

    public int MaxConcurrency { get; }

    public string? Name { get; }

    public static MicroBatchedSettings From(AttributeData attribute)
    {
        int maxSize = MicroBatchDefaults.MaxBatchSize, maxWaitMs = MicroBatchDefaults.MaxWaitMilliseconds, maxConcurrency = MicroBatchDefaults.MaxConcurrentBatches;
        string? name = null;
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
            }
        }

        return new MicroBatchedSettings(maxSize, maxWaitMs, maxConcurrency, name);
    }

    public static AttributeData? Find(IMethodSymbol method) =>
        method.GetAttributes().FirstOrDefault(a => TypeNameMatcher.IsMicroBatchedAttribute(a.AttributeClass));
}
