namespace InferenceService;

/// <summary>The <c>Model</c> section of appsettings.json.</summary>
public sealed class ModelSettings
{
    public const string SectionName = "Model";

    /// <summary>The hidden layers when none are configured: large enough that one batched Run is far cheaper per item.</summary>
    public static readonly int[] DefaultHiddenLayers = [4096, 4096];

    /// <summary>
    /// The widths of the MLP's hidden layers; the input is <see cref="ReviewModel.Features"/> wide, the output 2. Empty
    /// means <see cref="DefaultHiddenLayers"/> (the configuration binder appends to an array, so the default is not set here).
    /// </summary>
    public int[] HiddenLayers { get; set; } = [];

    /// <summary>The longest text accepted, in characters; longer is a 400.</summary>
    public int MaxTextLength { get; set; } = 2_000;

    /// <summary>The largest request body accepted, in bytes; larger is a 400.</summary>
    public int MaxRequestBodyBytes { get; set; } = 16 * 1024;

    /// <summary>Whether to time the model at batch 1 and at batch 32 when the service starts, and log both.</summary>
    public bool MeasureAtStartup { get; set; } = true;
}
