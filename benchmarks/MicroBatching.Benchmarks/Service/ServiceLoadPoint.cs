using System.Globalization;

namespace MicroBatching.Benchmarks.Service;

/// <summary>One line of benchmarks/service-load.sh's results: one mode at one number of connections.</summary>
public sealed record ServiceLoadPoint(
    string Mode, int Connections, double RequestsPerSecond, double P50Ms, double P99Ms, double MeanBatchSize,
    double CpuMsPerRequest, long Requests, long Errors)
{
    public const string Batched = "batched";
    public const string Unbatched = "unbatched";

    public static IReadOnlyList<ServiceLoadPoint> Read(string csvPath) =>
        [.. File.ReadLines(csvPath).Skip(1).Where(line => line.Length > 0).Select(Parse)];

    private static ServiceLoadPoint Parse(string line)
    {
        string[] fields = line.Split(',');
        double Number(int index) => double.Parse(fields[index], CultureInfo.InvariantCulture);
        return new ServiceLoadPoint(fields[0], (int)Number(1), Number(2), Number(3), Number(4), Number(5), Number(6),
            (long)Number(7), (long)Number(8));
    }
}
