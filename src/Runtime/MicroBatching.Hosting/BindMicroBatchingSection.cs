using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MicroBatching.Hosting;

/// <summary>
/// Binds a configuration section to <see cref="MicroBatchingOptions"/>, failing on keys that match no setting so that a
/// misspelt one is an error rather than silently ignored. Without a section, binds the application's
/// <c>MicroBatching</c> section if the container has an <see cref="IConfiguration"/>.
/// </summary>
internal sealed class BindMicroBatchingSection : IConfigureOptions<MicroBatchingOptions>
{
    private readonly IConfiguration? _section;

    public BindMicroBatchingSection(IConfiguration? section) => _section = section;

    public void Configure(MicroBatchingOptions options)
    {
        // A plain call, not ?.: the binding source generator only intercepts those.
        if (_section is not null)
        {
            ConfigurationKeys.ThrowIfUnknown(_section);
            _section.Bind(options, binder => binder.ErrorOnUnknownConfiguration = true);
        }
    }
}
