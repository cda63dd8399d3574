using ReviewPipeline;

// dotnet run --project samples/ReviewPipeline -c Release [-- --reviews 10000]
int reviews = 10_000;
for (int i = 0; i < args.Length - 1; i++)
{
    if (args[i] == "--reviews" && int.TryParse(args[i + 1], out int parsed) && parsed > 0)
    {
        reviews = parsed;
    }
}

await Demo.RunAsync(reviews, Console.Out);
