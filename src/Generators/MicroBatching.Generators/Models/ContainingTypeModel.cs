namespace MicroBatching.SourceGeneration.Models;

/// <summary>A type enclosing a batch method, as its partial declaration is written: <c>partial record struct Point&lt;T&gt;</c>.</summary>
/// <param name="Keyword">class, struct, record, record struct, ref struct…</param>
/// <param name="Name">The name with its type parameters, e.g. <c>Cache&lt;TKey, TValue&gt;</c>.</param>
internal sealed record ContainingTypeModel(string Keyword, string Name);
