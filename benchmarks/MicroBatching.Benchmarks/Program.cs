using BenchmarkDotNet.Running;
using MicroBatching.Benchmarks.Load;
using MicroBatching.Benchmarks.Micro;

// load: S1-S5 and the report; buildtime: generator and analyzer build cost; micro: BenchmarkDotNet per-item costs.
// Anything else goes to BenchmarkDotNet's own switcher (for example --filter *SubmitComplete*).
return args.FirstOrDefault() switch
{
    "load" => await LoadRunner.RunAsync(args[1..]),
    "buildtime" => await BuildTimeMeasurement.RunAsync(args[1..]),
    "micro" => MicroRunner.Run(args[1..]),
    _ => Run(args),
};

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadRunner).Assembly).Run(args);
    return 0;
}
