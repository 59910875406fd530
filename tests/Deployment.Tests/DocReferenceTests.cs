using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>
/// The repository stands alone: every comment or document reference names a file inside it, and every rule id a
/// comment cites is defined in docs/provider-rules.md (scripts/lib/check-doc-refs.sh says which line breaks that).
/// </summary>
public sealed class DocReferenceTests
{
    [Fact]
    public async Task EveryDocumentReference_ResolvesInsideTheRepository()
    {
        var result = await ProcessRunner.RunAsync("bash", [Repository.PathOf("scripts", "lib", "check-doc-refs.sh")], TimeSpan.FromMinutes(2));

        Assert.NotNull(result);
        Assert.True(result.ExitCode == 0, result.Describe());
    }

    [Fact]
    public async Task TheCheck_FailsOnAReferenceOutsideTheRepository()
    {
        // The check itself can fail: a sandbox copy with one bad comment must be refused.
        var sandbox = Directory.CreateTempSubdirectory("doc-refs-");
        try
        {
            foreach (var dir in new[] { "scripts/lib", "docs", "src/Probe" })
            {
                Directory.CreateDirectory(Path.Combine(sandbox.FullName, dir));
            }

            File.Copy(Repository.PathOf("scripts", "lib", "check-doc-refs.sh"), Path.Combine(sandbox.FullName, "scripts", "lib", "check-doc-refs.sh"));
            File.Copy(Repository.PathOf("docs", "provider-rules.md"), Path.Combine(sandbox.FullName, "docs", "provider-rules.md"));
            await File.WriteAllTextAsync(Path.Combine(sandbox.FullName, "README.md"), "# Probe\n");
            var outside = string.Concat("API-", "DIG", "EST ", "\u00a7", "3.1"); // split, so this file does not trip the check itself
            await File.WriteAllTextAsync(Path.Combine(sandbox.FullName, "src", "Probe", "Probe.cs"), $"// See {outside} for the rule.\nnamespace Probe;\n");

            var result = await ProcessRunner.RunAsync("bash", [Path.Combine(sandbox.FullName, "scripts", "lib", "check-doc-refs.sh")], TimeSpan.FromMinutes(2), sandbox.FullName);

            Assert.NotNull(result);
            Assert.True(result.ExitCode != 0, result.Describe());
            Assert.Contains("Probe.cs", result.StandardOutput + result.StandardError, StringComparison.Ordinal);
        }
        finally
        {
            sandbox.Delete(recursive: true);
        }
    }
}
