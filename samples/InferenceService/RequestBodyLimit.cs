using Microsoft.Extensions.Options;

namespace InferenceService;

/// <summary>
/// Answers 400 with problem details for a body over <see cref="ModelSettings.MaxRequestBodyBytes"/>, before anything
/// reads it: at once when Content-Length says so, and after reading at most one byte too many when it is chunked.
/// </summary>
internal sealed class RequestBodyLimit(RequestDelegate next, IOptions<ModelSettings> settings)
{
    private readonly int _limit = settings.Value.MaxRequestBodyBytes;

    public async Task InvokeAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        if (request.ContentLength > _limit)
        {
            await Problems.BodyTooLarge(_limit).ExecuteAsync(context);
            return;
        }

        if (request.ContentLength is null && HttpMethods.IsPost(request.Method))
        {
            // Chunked: buffer up to the limit, so an endless body costs at most that much memory.
            var buffered = new MemoryStream();
            byte[] chunk = new byte[4096];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, context.RequestAborted)) > 0)
            {
                buffered.Write(chunk, 0, read);
                if (buffered.Length > _limit)
                {
                    await Problems.BodyTooLarge(_limit).ExecuteAsync(context);
                    return;
                }
            }

            buffered.Position = 0;
            request.Body = buffered;
        }

        await next(context);
    }
}
