using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("BindingService.Infrastructure.Tests")]
[assembly: InternalsVisibleTo("BindingService.Integration.Tests")]
