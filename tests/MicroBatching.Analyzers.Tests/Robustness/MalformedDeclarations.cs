namespace MicroBatching.Analyzers.Tests.Robustness;

/// <summary>Declarations that are broken or unusual in the ways real code is: each must leave every component standing.</summary>
internal static class MalformedDeclarations
{
    private const string U = Verifiers.TestEnvironment.Usings;

    public static readonly IReadOnlyDictionary<string, SweepText> All = new[]
    {
        Case("missing item type", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<Missing> ids) => null!; }"),
        Case("missing result type", "public partial class C { [MicroBatched] Task<IReadOnlyList<Missing>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("missing list type", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(MissingList<int> ids) => null!; }"),
        Case("missing return type", "public partial class C { [MicroBatched] Missing GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("missing task type", "public partial class C { [MicroBatched] MissingTask<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("unbound generic result", "public partial class C { [MicroBatched] Task<IReadOnlyList<>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("unbound generic list", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<> ids) => null!; }"),
        Case("generic method", "public partial class C { [MicroBatched] Task<IReadOnlyList<T>> GetBatchAsync<T>(IReadOnlyList<T> ids) => null!; }"),
        Case("no body", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) }"),
        Case("no parameter list", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync => null!; }"),
        Case("attribute on a property", "public partial class C { [MicroBatched] IReadOnlyList<int> GetBatch => null!; }"),
        Case("attribute on a field", "public partial class C { [MicroBatched] IReadOnlyList<int> _batch = null!; }"),
        Case("attribute on a class", "[MicroBatched] public partial class C { }"),
        Case("wrong argument types", "public partial class C { [MicroBatched(MaxSize = \"big\", MaxWaitMs = 1.5, Name = 3, CostMethod = 4, MaxCost = \"x\")] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("named arguments that do not exist", "public partial class C { [MicroBatched(Size = 3, Wait = 1)] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("positional argument", "public partial class C { [MicroBatched(32)] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("duplicate attributes", "public partial class C { [MicroBatched, MicroBatched(MaxSize = 2)] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("cost method that is a type", "public partial class C { [MicroBatched(MaxCost = 4, CostMethod = nameof(Nested))] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; class Nested { } }"),
        Case("cost method with an error type", "public partial class C { [MicroBatched(MaxCost = 4, CostMethod = nameof(Cost))] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; int Cost(Missing m) => 1; }"),
        Case("#if regions", "public partial class C {\n#if DEBUG\n[MicroBatched]\n#endif\nTask<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;\n#if NEVER\n[MicroBatched] Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!;\n#endif\n}"),
        Case("unterminated #if", "public partial class C {\n#if DEBUG\n[MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!;\n}"),
        Case("file-scoped namespace", "namespace App.Models;\npublic partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("nested namespaces", "namespace A { namespace B.C { public partial class D { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } } }"),
        Case("verbatim namespace and type", "namespace @class.@event { public partial class @struct { [MicroBatched] Task<IReadOnlyList<int>> @GetBatchAsync(IReadOnlyList<int> @ids) => null!; } }"),
        Case("top-level statements", "var c = new C(); await c.GetAsync(1);\npublic partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("local function with the attribute", "void Local() { [MicroBatched] IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids) => ids; }"),
        Case("lambda with the attribute", "System.Func<IReadOnlyList<int>, IReadOnlyList<int>> f = [MicroBatched] (IReadOnlyList<int> ids) => ids;"),
        Case("extern method", "public partial class C { [MicroBatched] static extern IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids); }"),
        Case("abstract method", "public abstract partial class C { [MicroBatched] protected abstract Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids); }"),
        Case("partial method definition only", "public partial class C { [MicroBatched] partial IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids); }"),
        Case("partial method in two parts", "public partial class C { [MicroBatched] public partial IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids); public partial IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids) => ids; }"),
        Case("virtual and override", "public partial class B { [MicroBatched] public virtual Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } public partial class D : B { [MicroBatched] public override Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("interface member", "public partial interface I { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids); }"),
        Case("static abstract interface member", "public partial interface I { [MicroBatched] static abstract Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids); }"),
        Case("explicit interface implementation", "public interface I { Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids); } public partial class C : I { [MicroBatched] Task<IReadOnlyList<int>> I.GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("operator", "public partial class C { [MicroBatched] public static IReadOnlyList<int> operator +(C c, IReadOnlyList<int> ids) => ids; }"),
        Case("constructor", "public partial class C { [MicroBatched] public C(IReadOnlyList<int> ids) { } }"),
        Case("enum container", "public enum E { A } public partial class C { [MicroBatched] static IReadOnlyList<E> GetBatch(IReadOnlyList<E> ids) => ids; }"),
        Case("delegate and pointer types", "public unsafe partial class C { [MicroBatched] static delegate*<int>[] GetBatch(IReadOnlyList<int> ids) => null!; [MicroBatched] static int*[] PinBatch(int*[] ids) => ids; }"),
        Case("ref struct item", "public partial class C { [MicroBatched] static IReadOnlyList<int> GetBatch(IReadOnlyList<System.Span<int>> ids) => null!; }"),
        Case("dynamic and tuples", "public partial class C { [MicroBatched] static IReadOnlyList<dynamic> GetBatch(IReadOnlyList<(int A, string B)> ids) => null!; }"),
        Case("nullable everywhere", "public partial class C { [MicroBatched] static Task<IReadOnlyList<int?>?> GetBatchAsync(IReadOnlyList<string?>? ids) => null!; }"),
        Case("class nested in a generic struct", "public partial struct S<T> where T : struct { public partial class C { [MicroBatched] Task<IReadOnlyList<T>> GetBatchAsync(IReadOnlyList<T> ids) => null!; } }"),
        Case("ref struct container", "public ref partial struct R { [MicroBatched] static IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids) => ids; }"),
        Case("file-local type", "file partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("records", "public partial record R(int X) { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } public partial record struct S { [MicroBatched] static IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids) => ids; }"),
        Case("Name of a keyword, underscore and empty", "public partial class C { [MicroBatched(Name = \"class\")] Task<IReadOnlyList<int>> ABatchAsync(IReadOnlyList<int> ids) => null!; [MicroBatched(Name = \"_\")] Task<IReadOnlyList<int>> BBatchAsync(IReadOnlyList<int> ids) => null!; [MicroBatched(Name = \"\")] Task<IReadOnlyList<int>> CBatchAsync(IReadOnlyList<int> ids) => null!; [MicroBatched(Name = null)] Task<IReadOnlyList<int>> DBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("attribute spelled in full and aliased", "using MB = MicroBatching.MicroBatchedAttribute; public partial class C { [MicroBatching.MicroBatchedAttribute] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; [MB] Task<IReadOnlyList<int>> FindBatchAsync(IReadOnlyList<int> ids) => null!; }"),
        Case("a user type named like the attribute", "namespace Other { public sealed class MicroBatchedAttribute : System.Attribute { } } namespace App { using Other; public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; } }"),
        Case("wrapper calls in broken code", "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; async Task Use(IReadOnlyList<int> xs) { foreach (var x in xs) { await GetAsync(x; } var t = GetAsync(1).Result; Task.WaitAll(xs.Select(x => GetAsync(x)); } }"),
        Case("blocking calls in broken code", "public partial class C { [MicroBatched] IReadOnlyList<int> GetBatch(IReadOnlyList<int> ids) { var r = Load(ids).Result; Thread.Sleep(; return Helper(ids); } IReadOnlyList<int> Helper(IReadOnlyList<int> ids) => Load(ids).GetAwaiter().GetResult(); Task<IReadOnlyList<int>> Load(IReadOnlyList<int> ids) => null!; }"),
        Case("registrations in broken code", "using Microsoft.Extensions.DependencyInjection; public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; static void Register(IServiceCollection s) { s.AddTransient<C>(; s.AddScoped(typeof(C)); s.AddTransient<Missing>(); } }"),
        Case("DAG with missing types and a cycle", "[BatchDag] public partial class G { [DagNode] IReadOnlyList<Missing> A(IReadOnlyList<int> b) => null!; [DagNode] IReadOnlyList<int> B(IReadOnlyList<Missing> a) => null!; [DagNode(Output = true)] IReadOnlyList<int> C(IReadOnlyList<int> b) => b; }"),
        Case("DAG with no nodes and wrong arguments", "[BatchDag(MaxParallelism = \"x\", StreamWindow = -1)] public partial class G { } [BatchDag] public class H { [DagNode(MaxSize = \"y\")] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; }"),
        Case("DAG node outside a DAG", "public partial class G { [DagNode] IReadOnlyList<int> A(IReadOnlyList<int> x) => x; }"),
        new SweepText("partial declarations across files",
        [
            U + "namespace App; public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }",
            U + "namespace App; public partial class C { public Task<int> GetAsync(int id) => null!; private int[] Helper() => Task.FromResult(new int[0]).Result; }",
            U + "namespace App; public class C { }",
        ]),
        new SweepText("same batch method name in two files",
        [
            U + "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }",
            U + "public partial class C { [MicroBatched] Task<IReadOnlyList<int>> GetBatchAsync(IReadOnlyList<int> ids) => null!; }",
        ]),
    }.ToDictionary(text => text.Name);

    public static TheoryData<string> Cases => [.. All.Keys];

    private static SweepText Case(string name, string source) => new(name, U + source);
}
