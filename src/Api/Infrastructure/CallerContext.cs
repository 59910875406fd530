using BindingService.Api.Infrastructure.Auth;
using Microsoft.Extensions.Options;

namespace BindingService.Api.Infrastructure;

/// <summary>
/// Who is calling: the caller id of the request's validated bearer token (claim <c>Authentication:CallerIdClaim</c>,
/// checked when the token was validated). Every order, binding, group and idempotency key belongs to one caller, and a
/// caller sees only its own (docs/security.md).
/// </summary>
public sealed class CallerContext(IHttpContextAccessor http, IOptions<CallerAuthOptions> options)
{
    public string CallerId =>
        http.HttpContext?.User.FindFirst(options.Value.CallerIdClaim)?.Value
        ?? throw new InvalidOperationException("No authenticated caller: the endpoint must require authorization.");
}
