using System.Runtime.InteropServices;

namespace MicroBatching.Benchmarks.Load;

/// <summary>What the measurements ran on.</summary>
public sealed record MachineInfo(string Processor, int LogicalCores, string Runtime, string OperatingSystem, string GarbageCollector)
{
    public static MachineInfo Capture() => new(
        ProcessorName(),
        Environment.ProcessorCount,
        RuntimeInformation.FrameworkDescription,
        RuntimeInformation.OSDescription,
        System.Runtime.GCSettings.IsServerGC ? "server" : "workstation");

    private static string ProcessorName()
    {
        try
        {
            string? line = File.Exists("/proc/cpuinfo")
                ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))
                : null;
            return line?.Split(':', 2)[1].Trim() ?? RuntimeInformation.ProcessArchitecture.ToString();
        }
        catch (IOException)
        {
            return RuntimeInformation.ProcessArchitecture.ToString();
        }
    }
}
