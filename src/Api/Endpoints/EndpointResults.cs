using BindingService.Api.Infrastructure;
using BindingService.Application.Common;
using Microsoft.AspNetCore.Http.HttpResults;

namespace BindingService.Api.Endpoints;

/// <summary>The last step of every endpoint: a use case's <see cref="Result{T}"/> as an HTTP result.</summary>
internal static class EndpointResults
{
    /// <summary>200 with the value, or the error's problem (<see cref="ErrorResult"/>).</summary>
    public static Results<Ok<T>, ErrorResult> ToOk<T>(this Result<T> result) =>
        result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(result.Value!);

    /// <summary>200 with the value made into the response body by <paramref name="body"/>, or the error's problem.</summary>
    public static Results<Ok<TBody>, ErrorResult> ToOk<T, TBody>(this Result<T> result, Func<T, TBody> body) =>
        result.Error is { } error ? new ErrorResult(error) : TypedResults.Ok(body(result.Value!));

    /// <summary>201 with the value at <paramref name="location"/>, or the error's problem.</summary>
    public static Results<Created<T>, ErrorResult> ToCreated<T>(this Result<T> result, Func<T, string> location) =>
        result.Error is { } error ? new ErrorResult(error) : TypedResults.Created(location(result.Value!), result.Value!);

    /// <summary>
    /// 201 with the value at <paramref name="location"/> when the use case created it, 200 when it already existed (an
    /// idempotent repeat), or the error's problem.
    /// </summary>
    public static Results<Created<T>, Ok<T>, ErrorResult> ToCreatedOrOk<TOutcome, T>(
        this Result<TOutcome> result, Func<TOutcome, bool> created, Func<TOutcome, T> value, Func<T, string> location)
    {
        if (result.Error is { } error)
        {
            return new ErrorResult(error);
        }

        var outcome = result.Value!;
        var body = value(outcome);
        return created(outcome) ? TypedResults.Created(location(body), body) : TypedResults.Ok(body);
    }
}
