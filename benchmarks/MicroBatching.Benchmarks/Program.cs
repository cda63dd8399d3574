using BenchmarkDotNet.Running;
using MicroBatching.Benchmarks.Load;
using MicroBatching.Benchmarks.Micro;

// all: everything below, in the order that leaves the load runner's page last; load: S1-S5 and the report;
// buildtime: generator and analyzer build cost; timercost: the timer thread's CPU at low load; dag: batch-DAG executor against peers; micro: BenchmarkDotNet per-item costs; report: the page again from the
// saved results, after editing docs/benchmarks/why-targets-are-missed.md or the report code; service-report: the
// inference service's page from benchmarks/service-load.sh's results (the script runs it).
// Anything else goes to BenchmarkDotNet's own switcher (for example --filter *SubmitComplete*).
return args.FirstOrDefault() switch
{
    "all" => await RunAllAsync(args[1..]),
    "load" => await LoadRunner.RunAsync(args[1..]),
    "buildtime" => await BuildTimeMeasurement.RunAsync(args[1..]),
    "timercost" => await TimerCostMeasurement.RunAsync(args[1..]),
    "dag" => await MicroBatching.Benchmarks.Dag.DagBenchmark.RunAsync(args[1..]),
    "micro" => MicroRunner.Run(args[1..]),
    "report" => Report(args[1..]),
    "service-report" => MicroBatching.Benchmarks.Service.ServiceReport.Run(args[1..]),
    _ => Run(args),
};

static async Task<int> RunAllAsync(string[] args)
{
    int status = await BuildTimeMeasurement.RunAsync(args);
    status = status != 0 ? status : await TimerCostMeasurement.RunAsync(args);
    status = status != 0 ? status : await MicroBatching.Benchmarks.Dag.DagBenchmark.RunAsync(args);
    status = status != 0 ? status : MicroRunner.Run(args);
    return status != 0 ? status : await LoadRunner.RunAsync(args);
}

static int Report(string[] args)
{
    LoadRunner.Rewrite(ReportPaths.Find(args));
    return 0;
}

static int Run(string[] args)
{
    BenchmarkSwitcher.FromAssembly(typeof(LoadRunner).Assembly).Run(args);
    return 0;
}
