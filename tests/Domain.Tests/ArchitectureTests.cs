using NetArchTest.Rules;

namespace BindingService.Domain.Tests;

/// <summary>
/// Dependencies point inward: Domain references nothing; Application knows no infrastructure; the Api reaches
/// Infrastructure only in its composition root (Program.cs: AddInfrastructure, migrations), everything else through
/// Application's ports.
/// </summary>
public sealed class ArchitectureTests
{
    private static readonly System.Reflection.Assembly Domain = typeof(BindingService.Domain.Bindings.Binding).Assembly;
    private static readonly System.Reflection.Assembly Application = typeof(BindingService.Application.DependencyInjection).Assembly;
    private static readonly System.Reflection.Assembly Api = typeof(BindingService.Api.Infrastructure.CallerContext).Assembly;

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("MassTransit")]
    [InlineData("Microsoft.AspNetCore")]
    [InlineData("Npgsql")]
    [InlineData("BindingService.Application")]
    [InlineData("BindingService.Infrastructure")]
    [InlineData("BindingService.Contracts")]
    public void Domain_DoesNotDependOn(string dependency)
    {
        var result = Types.InAssembly(Domain).ShouldNot().HaveDependencyOn(dependency).GetResult();
        Assert.True(result.IsSuccessful, $"Domain types depending on {dependency}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [InlineData("Microsoft.EntityFrameworkCore")]
    [InlineData("MassTransit")]
    [InlineData("Npgsql")]
    [InlineData("BindingService.Infrastructure")]
    [InlineData("BindingService.Api")]
    public void Application_DoesNotDependOn(string dependency)
    {
        var result = Types.InAssembly(Application).ShouldNot().HaveDependencyOn(dependency).GetResult();
        Assert.True(result.IsSuccessful, $"Application types depending on {dependency}: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Theory]
    [InlineData("BindingService.Api.Endpoints")]
    [InlineData("BindingService.Api.Infrastructure")]
    [InlineData("BindingService.Api.OpenApi")]
    public void Api_OutsideTheCompositionRoot_DoesNotDependOnInfrastructure(string apiNamespace)
    {
        var types = Types.InAssembly(Api).That().ResideInNamespace(apiNamespace);
        Assert.NotEmpty(types.GetTypes());

        var result = types.ShouldNot().HaveDependencyOn("BindingService.Infrastructure").GetResult();

        Assert.True(result.IsSuccessful, $"{apiNamespace} types depending on BindingService.Infrastructure: {string.Join(", ", result.FailingTypeNames ?? [])}");
    }

    [Fact]
    public void Api_CompositionRoot_IsWhereInfrastructureIsWired()
    {
        // The rule above sees the dependency where it is allowed: Program (AddInfrastructure, migrations).
        var program = Types.InAssembly(Api).That().HaveName("Program").And().HaveDependencyOn("BindingService.Infrastructure").GetTypes();
        Assert.Single(program);
    }

    [Fact]
    public void Domain_ReferencesNoOtherAssemblyOfOurs_NorAnyPackage()
    {
        var references = Domain.GetReferencedAssemblies().Select(a => a.Name!).ToList();
        Assert.DoesNotContain(references, name => name.StartsWith("BindingService.", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("Microsoft.EntityFrameworkCore", StringComparison.Ordinal));
        Assert.DoesNotContain(references, name => name.StartsWith("MassTransit", StringComparison.Ordinal));
    }
}
