using Microsoft.CodeAnalysis.CSharp;

namespace MicroBatching.SourceGeneration;

/// <summary>The names of the members generated for one batch method, or why none can be derived.</summary>
internal sealed class GeneratedMemberNames
{
    private const string Batch = "Batch";
    private const string Async = "Async";

    private GeneratedMemberNames(string wrapper, string many, string batcher)
    {
        Wrapper = wrapper;
        Many = many;
        Batcher = batcher;
    }

    /// <summary>The single-item wrapper, e.g. <c>InferAsync</c>.</summary>
    public string Wrapper { get; }

    /// <summary>The many-items wrapper, e.g. <c>InferManyAsync</c>.</summary>
    public string Many { get; }

    /// <summary>The property exposing the batcher, e.g. <c>InferBatcher</c>.</summary>
    public string Batcher { get; }

    /// <summary>
    /// Derives the names from <paramref name="methodName"/> (dropping the word <c>Batch</c> and ending in <c>Async</c>)
    /// or from an explicit <paramref name="nameOverride"/>; returns <see langword="null"/> with the problem when it cannot.
    /// </summary>
    public static GeneratedMemberNames? TryCreate(string methodName, string? nameOverride, out DeclarationProblem? problem)
    {
        string wrapper;
        if (nameOverride is not null)
        {
            if (!SyntaxFacts.IsValidIdentifier(nameOverride) || SyntaxFacts.GetKeywordKind(nameOverride) != SyntaxKind.None)
            {
                problem = new DeclarationProblem(DeclarationProblemKind.InvalidNameOverride, nameOverride);
                return null;
            }

            wrapper = nameOverride;
        }
        else
        {
            string? stem = RemoveBatchWord(methodName);
            if (stem is null)
            {
                problem = new DeclarationProblem(DeclarationProblemKind.NoBatchWordInName, methodName);
                return null;
            }

            wrapper = stem + Async;
        }

        string baseName = WithoutAsync(wrapper);
        string many = EndsWithWord(wrapper, Async) ? baseName + "Many" + Async : wrapper + "Many";
        problem = null;
        return new GeneratedMemberNames(wrapper, many, baseName + "Batcher");
    }

    /// <summary>
    /// The part of a batch method's name that the wrapper's name is built on: without the word <c>Batch</c> and the
    /// <c>Async</c> suffix (<c>InferBatchAsync</c> gives <c>Infer</c>), or, with no word <c>Batch</c>, without the suffix.
    /// </summary>
    public static string Stem(string methodName) => RemoveBatchWord(methodName) ?? WithoutAsync(methodName);

    private static string WithoutAsync(string name) =>
        EndsWithWord(name, Async) ? name.Substring(0, name.Length - Async.Length) : name;

    // Drops the last whole word "Batch" (followed by an upper-case letter or the end) and a trailing "Async".
    private static string? RemoveBatchWord(string methodName)
    {
        string name = WithoutAsync(methodName);
        for (int index = name.LastIndexOf(Batch, StringComparison.Ordinal); index >= 0;
             index = index == 0 ? -1 : name.LastIndexOf(Batch, index - 1, StringComparison.Ordinal))
        {
            int end = index + Batch.Length;
            bool wordEnds = end == name.Length || char.IsUpper(name[end]) || char.IsDigit(name[end]) || name[end] == '_';
            if (wordEnds)
            {
                string stem = name.Substring(0, index) + name.Substring(end);
                return stem.Length == 0 || !SyntaxFacts.IsValidIdentifier(stem) ? null : stem;
            }
        }

        return null;
    }

    private static bool EndsWithWord(string name, string word) =>
        name.Length > word.Length && name.EndsWith(word, StringComparison.Ordinal);

    /// <summary>A parameter name for one item, from the list parameter's name: <c>texts</c> gives <c>text</c>.</summary>
    public static string ItemParameterName(string listParameterName)
    {
        string name = listParameterName.TrimStart('@');
        string singular =
            name.EndsWith("ies", StringComparison.Ordinal) && name.Length > 3 ? name.Substring(0, name.Length - 3) + "y" :
            (name.EndsWith("ses", StringComparison.Ordinal) || name.EndsWith("xes", StringComparison.Ordinal) ||
             name.EndsWith("ches", StringComparison.Ordinal) || name.EndsWith("shes", StringComparison.Ordinal)) ? name.Substring(0, name.Length - 2) :
            name.EndsWith("s", StringComparison.Ordinal) && !name.EndsWith("ss", StringComparison.Ordinal) && name.Length > 1 ? name.Substring(0, name.Length - 1) :
            "item";
        return Escape(singular == "cancellationToken" || !SyntaxFacts.IsValidIdentifier(singular) ? "item" : singular);
    }

    /// <summary>A parameter name for the many-items wrapper: the list parameter's own name.</summary>
    public static string ItemsParameterName(string listParameterName)
    {
        string name = listParameterName.TrimStart('@');
        return Escape(name == "cancellationToken" ? "items" : name);
    }

    private static string Escape(string identifier) =>
        SyntaxFacts.GetKeywordKind(identifier) != SyntaxKind.None ? "@" + identifier : identifier;
}
