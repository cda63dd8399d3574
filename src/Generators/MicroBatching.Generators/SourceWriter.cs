using System.Text;

namespace MicroBatching.SourceGeneration;

/// <summary>Writes indented C# source line by line.</summary>
internal sealed class SourceWriter
{
    private readonly StringBuilder _builder = new();
    private int _indent;

    public void Line(string text = "")
    {
        if (text.Length > 0)
        {
            _builder.Append(' ', _indent * 4);
        }

        _builder.Append(text).Append('\n');
    }

    /// <summary>Writes <paramref name="header"/> and an opening brace, and indents until the returned scope is disposed.</summary>
    public Scope Block(string header)
    {
        Line(header);
        Line("{");
        _indent++;
        return new Scope(this);
    }

    public override string ToString() => _builder.ToString();

    public readonly struct Scope : IDisposable
    {
        private readonly SourceWriter _writer;

        public Scope(SourceWriter writer) => _writer = writer;

        public void Dispose()
        {
            _writer._indent--;
            _writer.Line("}");
        }
    }
}
