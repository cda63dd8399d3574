namespace SentimentService;

/// <summary>The simulated traffic: how many clients, and how many reviews they send in all.</summary>
public sealed class LoadOptions
{
    public int Clients { get; set; } = 64;

    public int Reviews { get; set; } = 20_000;
}
