using System.Runtime.CompilerServices;

[assembly: InternalsVisibleTo("BindingService.Infrastructure.Tests")]
