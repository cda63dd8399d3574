namespace MicroBatching.SourceGeneration.Models;

/// <summary>A type enclosing a batch method, as its partial declaration is written: <c>partial record struct Point&lt;T&gt;</c>.</summary>
/// <param name="Keyword">class, struct, record, record struct, interface.</param>
/// <param name="Name">The name with its type parameters, e.g. <c>Cache&lt;TKey, TValue&gt;</c>.</param>
/// <param name="Modifiers">What must come before <c>partial</c>: <c>"ref "</c> for a ref struct, otherwise empty.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name, string Modifiers = "")
{
    /// <summary>The declaration up to the name's end, e.g. <c>ref partial struct Span2</c>.</summary>
    public string Declaration => $"{Modifiers}partial {Keyword} {Name}";
}
