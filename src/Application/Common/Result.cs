namespace BindingService.Application.Common;

/// <summary>How an expected failure should be understood by a caller (the Api maps it to HTTP).</summary>
public enum ErrorKind
{
    /// <summary>The request is malformed (400).</summary>
    Validation,

    /// <summary>Nothing exists under that key (404).</summary>
    NotFound,

    /// <summary>The request contradicts the current state (409).</summary>
    Conflict,

    /// <summary>Well-formed but refused on its merits (422).</summary>
    Unprocessable,

    /// <summary>Cannot be served now; retry later (503 with Retry-After).</summary>
    Unavailable,

    /// <summary>The caller may not do this (403).</summary>
    Forbidden,
}

/// <summary>An expected failure: a stable machine-readable code and a human sentence without personal data.</summary>
public sealed record Error(ErrorKind Kind, string Code, string Detail)
{
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    public TimeSpan? RetryAfter { get; init; }

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "request.invalid", "One or more fields are invalid.") { Fields = fields };

    public static Error NotFound(string code, string detail) => new(ErrorKind.NotFound, code, detail);

    public static Error Conflict(string code, string detail) => new(ErrorKind.Conflict, code, detail);

    public static Error Unprocessable(string code, string detail) => new(ErrorKind.Unprocessable, code, detail);

    public static Error Unavailable(string code, string detail, TimeSpan retryAfter) =>
        new(ErrorKind.Unavailable, code, detail) { RetryAfter = retryAfter };
}

/// <summary>Either a value or an <see cref="Error"/>.</summary>
public readonly record struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool IsSuccess => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
