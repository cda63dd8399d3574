using System.Runtime.InteropServices;

namespace MicroBatching.Internal;

/// <summary>
/// Sleeps for less than a millisecond where the operating system can (Linux and macOS, through <c>nanosleep</c>);
/// .NET's own waits only take whole milliseconds.
/// </summary>
internal static partial class NativeSleep
{
    public static bool IsSupported { get; } = OperatingSystem.IsLinux() || OperatingSystem.IsMacOS();

    /// <summary>Sleeps about <paramref name="duration"/>; returns false if the call failed, so the caller can fall back.</summary>
    public static bool Sleep(TimeSpan duration)
    {
        long nanoseconds = duration.Ticks * 100;
        var request = new Timespec { Seconds = (nint)(nanoseconds / 1_000_000_000), Nanoseconds = (nint)(nanoseconds % 1_000_000_000) };
        try
        {
            // An interrupted sleep (EINTR) returns early, which only means the scheduler looks at its queue sooner.
            return nanosleep(ref request, 0) == 0 || Marshal.GetLastPInvokeError() == EINTR;
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }

    private const int EINTR = 4;

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public nint Seconds;
        public nint Nanoseconds;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int nanosleep(ref Timespec request, nint remaining);
}
