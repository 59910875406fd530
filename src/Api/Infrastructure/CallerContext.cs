using BindingService.Application.Common;
using Microsoft.Extensions.Options;

namespace BindingService.Api.Infrastructure;

/// <summary>Who is calling. Until authentication exists, every caller is the configured default.</summary>
public sealed class CallerContext(IOptions<ProtectionOptions> options)
{
    public string CallerId => options.Value.DefaultCallerId;
}
