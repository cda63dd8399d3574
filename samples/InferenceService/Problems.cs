using MicroBatching;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace InferenceService;

/// <summary>Every error the service answers, as RFC 7807 problem details: one place for each status code and its title.</summary>
internal static class Problems
{
    /// <summary>How long a client told 503 should wait before it retries, in seconds.</summary>
    public const int RetryAfterSeconds = 1;

    public static IResult? ValidateText(TextRequest? request, ModelSettings settings) => request?.Text switch
    {
        null => Invalid("text is required."),
        { } text when string.IsNullOrWhiteSpace(text) => Invalid("text must not be empty."),
        { Length: var length } when length > settings.MaxTextLength =>
            Invalid($"text is {length} characters long; the most accepted is {settings.MaxTextLength}."),
        _ => null,
    };

    public static IResult BodyTooLarge(long limit) => Results.Problem(
        statusCode: StatusCodes.Status400BadRequest,
        title: "The request body is too large.",
        detail: $"The most accepted is {limit} bytes.");

    private static IResult Invalid(string message) =>
        Results.ValidationProblem(new Dictionary<string, string[]> { ["text"] = [message] });

    /// <summary>
    /// A body that cannot be read as the endpoint's request (malformed JSON, a wrong content type) is a 400 with problem
    /// details, in every environment: in Development the framework throws it rather than answering it.
    /// </summary>
    public sealed class Malformed(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            if (exception is not BadHttpRequestException badRequest)
            {
                return false;
            }

            return await WriteAsync(problemDetails, context, exception, badRequest.StatusCode, "The request body could not be read.", badRequest.Message);
        }
    }

    /// <summary>
    /// A full batcher queue, or one draining because the service is stopping, is a 503 with Retry-After: the request was
    /// not run, and the client may send it again. Every other exception is left to the default 500.
    /// </summary>
    public sealed class Overloaded(IProblemDetailsService problemDetails) : IExceptionHandler
    {
        public async ValueTask<bool> TryHandleAsync(HttpContext context, Exception exception, CancellationToken cancellationToken)
        {
            string? detail = exception switch
            {
                BatchQueueFullException full => full.Message,
                ObjectDisposedException { ObjectName: { } name } when name.StartsWith("MicroBatcher", StringComparison.Ordinal) =>
                    "The service is shutting down.",
                _ => null,
            };
            if (detail is null)
            {
                return false;
            }

            context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            return await WriteAsync(problemDetails, context, exception, StatusCodes.Status503ServiceUnavailable, "The service is busy; retry later.", detail);
        }
    }

    // What both exception handlers answer: the status, and a problem body that says why.
    private static ValueTask<bool> WriteAsync(
        IProblemDetailsService problemDetails, HttpContext context, Exception exception, int status, string title, string detail)
    {
        context.Response.StatusCode = status;
        return problemDetails.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            Exception = exception,
            ProblemDetails = new ProblemDetails { Status = status, Title = title, Detail = detail },
        });
    }
}
