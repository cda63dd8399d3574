using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace MicroBatching.Hosting;

/// <summary>
/// Tells <see cref="IOptionsMonitor{TOptions}"/> when the configuration behind <see cref="MicroBatchingOptions"/> reloads,
/// such as an <c>appsettings.json</c> added with <c>reloadOnChange</c>; never, when there is no configuration.
/// </summary>
internal sealed class MicroBatchingChangeTokenSource(IConfiguration? configuration) : IOptionsChangeTokenSource<MicroBatchingOptions>
{
    private static readonly IChangeToken s_never = new CancellationChangeToken(CancellationToken.None);

    public string Name => Options.DefaultName;

    public IChangeToken GetChangeToken() => configuration?.GetReloadToken() ?? s_never;
}
