namespace ReviewPipeline;

/// <summary>Deterministic product reviews: positive, negative and spam, with varied wording and length.</summary>
public static class Reviews
{
    private static readonly string[] s_positive =
    [
        "Great product, I love it", "Works perfectly and the battery lasts", "Excellent build quality, very happy",
        "Amazing value for the price", "Good sound and a perfect fit",
    ];

    private static readonly string[] s_negative =
    [
        "Terrible, it broke after a week", "Awful support and a poor manual", "Bad quality, I want a refund",
        "Disappointed: it arrived broken", "A waste of money, stopped working",
    ];

    private static readonly string[] s_spam =
    [
        "BUY NOW!!! best deal!!! http://example.invalid", "free free free free free gift gift gift", "click here!!! win!!! now!!!",
    ];

    private static readonly string[] s_tails = ["", " Would recommend.", " Delivery was fast.", " The box was dented.", " Second one I bought."];

    public static string[] Generate(int count, int seed = 7)
    {
        var random = new Random(seed);
        var reviews = new string[count];
        for (int i = 0; i < count; i++)
        {
            int kind = random.Next(10);
            string[] source = kind < 5 ? s_positive : kind < 9 ? s_negative : s_spam;
            reviews[i] = $"  {source[random.Next(source.Length)]}.{s_tails[random.Next(s_tails.Length)]} (#{i})";
        }

        return reviews;
    }
}
