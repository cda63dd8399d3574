// What the C# blocks of docs/dag.md take as given: the types and variables they name but do not declare.
public sealed record Verdict(bool IsSpam);

public abstract class DocumentationContext
{
    protected IReadOnlyList<string> reviews = [];
    protected CancellationToken cancellationToken;
}
