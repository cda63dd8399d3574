// What the C# blocks of docs/operations.md take as given: an ASP.NET Core application being built, with OpenTelemetry.
global using Microsoft.AspNetCore.Builder;
global using OpenTelemetry.Metrics;
global using OpenTelemetry.Trace;

public abstract class DocumentationContext
{
    protected WebApplicationBuilder builder = null!;
    protected WebApplication app = null!;
}
