using System.Collections.Immutable;
using MicroBatching.Analyzers.Support;
using MicroBatching.SourceGeneration;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace MicroBatching.Analyzers.Declarations;

/// <summary>
/// Checks each <c>[MicroBatched]</c> method: its signature (MBAT001), its settings (MBAT003) and the names of the members
/// that would be generated for it (MBAT004). The generator emits nothing for a method this analyzer rejects.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class MicroBatchedDeclarationAnalyzer : DiagnosticAnalyzer
{
    /// <inheritdoc/>
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(
        DiagnosticDescriptors.InvalidSignature, DiagnosticDescriptors.InvalidSetting, DiagnosticDescriptors.WrapperName);

    /// <inheritdoc/>
    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterForMicroBatchingCompilations((start, _) => start.RegisterSymbolAction(AnalyzeMethod, SymbolKind.Method));
    }

    private static void AnalyzeMethod(SymbolAnalysisContext context)
    {
        var method = (IMethodSymbol)context.Symbol;
        if (MicroBatchedSettings.Find(method) is not { } attribute)
        {
            return;
        }

        ReportInvalidSettings(context, attribute);

        Location location = method.Locations.FirstOrDefault() ?? Location.None;
        BatchMethodShape? shape = BatchMethodShape.TryCreate(method, out DeclarationProblem? problem);
        if (shape is null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidSignature, location, method.Name, DeclarationProblemMessages.Format(problem!)));
            return;
        }

        ReportInvalidItemCost(context, attribute, method, shape);
        GeneratedMemberNames? names = GeneratedMemberNames.TryCreate(method.Name, MicroBatchedSettings.From(attribute).Name, out problem);
        problem ??= names is null ? null : GeneratedMemberConflicts.Find(method, shape, names);
        if (problem is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.WrapperName, location, method.Name, DeclarationProblemMessages.Format(problem)));
        }
    }

    private static void ReportInvalidSettings(SymbolAnalysisContext context, AttributeData attribute)
    {
        MicroBatchedSettings settings = MicroBatchedSettings.From(attribute);
        Check("MaxSize", settings.MaxSize, settings.MaxSize is >= 1 and <= MicroBatchDefaults.MaxBatchSizeLimit, $"a batch holds between 1 and {MicroBatchDefaults.MaxBatchSizeLimit} items");
        Check("MaxWaitMs", settings.MaxWaitMs, settings.MaxWaitMs >= 0, "the wait cannot be negative; 0 dispatches at once");
        Check("MaxConcurrency", settings.MaxConcurrency, settings.MaxConcurrency >= 1, "at least one batch must be able to run");
        Check("QueueCapacity", settings.QueueCapacity, settings.QueueCapacity >= 0, "0 means unbounded; a bound is at least 1");
        Check("DispatchMode", settings.DispatchMode, settings.DispatchMode >= 0 && settings.DispatchMode < MicroBatchedSettings.DispatchModeNames.Length,
            $"BatchDispatchMode is {string.Join(" or ", MicroBatchedSettings.DispatchModeNames)}");
        Check("QueueFullMode", settings.QueueFullMode, settings.QueueFullMode >= 0 && settings.QueueFullMode < MicroBatchedSettings.QueueFullModeNames.Length,
            $"QueueFullMode is {string.Join(" or ", MicroBatchedSettings.QueueFullModeNames)}");

        void Check(string name, int value, bool valid, string rule)
        {
            if (!valid)
            {
                context.ReportDiagnostic(Diagnostic.Create(DiagnosticDescriptors.InvalidSetting, ArgumentLocation(attribute, name, context.CancellationToken), name, value, rule));
            }
        }
    }

    private static void ReportInvalidItemCost(SymbolAnalysisContext context, AttributeData attribute, IMethodSymbol method, BatchMethodShape shape)
    {
        MicroBatchedSettings settings = MicroBatchedSettings.From(attribute);
        string itemType = shape.ItemType.ToDisplayString(SymbolDisplayFormat.MinimallyQualifiedFormat);
        string costMethod = $"\"{settings.CostMethod}\"";
        (string setting, object value, string rule) = ItemCostMethod.Check(method, shape.ItemType, settings, out _) switch
        {
            ItemCostProblem.None => default,
            ItemCostProblem.NegativeMaxCost => ("MaxCost", (object)settings.MaxCost, "0 means no cost bound; a bound is at least 1"),
            ItemCostProblem.NoCostMethod => ("MaxCost", settings.MaxCost,
                "a cost bound needs CostMethod, the method that measures an item, such as CostMethod = nameof(CountTokens)"),
            ItemCostProblem.NotFound => ("CostMethod", costMethod, $"{method.ContainingType.Name} has no method named {settings.CostMethod}"),
            ItemCostProblem.WrongSignature => ("CostMethod", costMethod,
                $"the cost method must be int {settings.CostMethod}({itemType}): not generic, taking the item by value and returning int"),
            ItemCostProblem.InstanceMethodForStaticBatchMethod => ("CostMethod", costMethod,
                $"{method.Name} is static, so {settings.CostMethod} must be static too"),
            _ => ("CostMethod", costMethod,
                $"more than one {settings.CostMethod} takes the item; keep one, or one that takes {itemType} itself"),
        };
        if (setting is not null)
        {
            context.ReportDiagnostic(Diagnostic.Create(
                DiagnosticDescriptors.InvalidSetting, ArgumentLocation(attribute, setting, context.CancellationToken), setting, value, rule));
        }
    }

    private static Location ArgumentLocation(AttributeData attribute, string name, CancellationToken cancellationToken)
    {
        if (attribute.ApplicationSyntaxReference?.GetSyntax(cancellationToken) is AttributeSyntax syntax)
        {
            AttributeArgumentSyntax? argument = syntax.ArgumentList?.Arguments.FirstOrDefault(a => a.NameEquals?.Name.Identifier.ValueText == name);
            return (argument ?? (SyntaxNode)syntax).GetLocation();
        }

        return Location.None;
    }
}
