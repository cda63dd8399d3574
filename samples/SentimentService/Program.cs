// A sentiment-scoring service: review texts arrive one at a time from many clients; the model scores them in batches.
// Settings come from appsettings.json ("MicroBatching" section); stopping the host drains the batcher.
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using SentimentService;

HostApplicationBuilder builder = Host.CreateApplicationBuilder(args);
builder.Services.AddMicroBatching();
builder.Services.AddSingleton<InferenceDevice>();
builder.Services.AddSingleton<SentimentModel>();
builder.Services.Configure<LoadOptions>(builder.Configuration.GetSection("Load"));
builder.Services.AddHostedService<ReviewTraffic>();

await builder.Build().RunAsync();
