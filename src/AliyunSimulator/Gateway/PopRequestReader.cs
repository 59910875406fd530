using Microsoft.Extensions.Primitives;

namespace BindingService.AliyunSimulator.Gateway;

/// <summary>
/// Collects a POP RPC request's parameters: the query string, plus for a POST the
/// <c>application/x-www-form-urlencoded</c> body (where <c>+</c> decodes to a space). A parameter in both takes
/// the body's value; a repeated parameter takes its first value. Every parameter received, known or not, is kept,
/// because all of them take part in the signature (docs/provider-rules.md, 'Requests and responses', 'Signing').
/// </summary>
internal static class PopRequestReader
{
    /// <summary>The parameters, or null when a POST body is not readable form data.</summary>
    public static async Task<Dictionary<string, string>?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in request.Query)
        {
            parameters[name] = First(values);
        }

        if (HttpMethods.IsPost(request.Method) && request.HasFormContentType)
        {
            IFormCollection form;
            try
            {
                form = await request.ReadFormAsync(cancellationToken);
            }
            catch (InvalidDataException)
            {
                return null;
            }

            foreach (var (name, values) in form)
            {
                parameters[name] = First(values);
            }
        }

        return parameters;
    }

    private static string First(StringValues values) => values.Count > 0 ? values[0] ?? string.Empty : string.Empty;
}
