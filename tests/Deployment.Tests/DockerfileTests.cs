using System.Text.RegularExpressions;
using System.Xml.Linq;
using BindingService.Deployment.Tests.Support;

namespace BindingService.Deployment.Tests;

/// <summary>
/// The images build from the repository root and run as a non-root user. Text checks, on purpose:
/// there is no Docker engine here (nor on CI), so no image can be built or run, and no Dockerfile
/// linter is available offline. What can run does: ComposeTests resolves the build contexts and
/// Dockerfile paths with docker-compose, and the project-reference closure below is read from the
/// real .csproj files.
/// </summary>
public sealed partial class DockerfileTests
{
    public static TheoryData<string, string, string> Images => new()
    {
        { "src/Api/Dockerfile", "src/Api/BindingService.Api.csproj", "BindingService.Api.dll" },
        { "src/AliyunSimulator/Dockerfile", "src/AliyunSimulator/BindingService.AliyunSimulator.csproj", "BindingService.AliyunSimulator.dll" },
    };

    [Theory]
    [MemberData(nameof(Images))]
    public void Dockerfile_is_multi_stage_non_root_and_runs_the_published_dll(string dockerfile, string project, string dll)
    {
        var text = Repository.Read(dockerfile.Split('/'));

        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/sdk:10\.0 AS build\s*$", text);
        Assert.Matches(@"(?m)^FROM mcr\.microsoft\.com/dotnet/aspnet:10\.0", text);
        Assert.Contains($"dotnet publish {project}", text, StringComparison.Ordinal);
        Assert.Contains($"\"{dll}\"", text, StringComparison.Ordinal);
        Assert.Contains("COPY global.json Directory.Build.props Directory.Packages.props ./", text, StringComparison.Ordinal);

        var users = UserPattern().Matches(text).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(users);
        Assert.DoesNotContain(users[^1], new[] { "root", "0", "0:0" });
    }

    [Theory]
    [MemberData(nameof(Images))]
    public void Restore_layer_copies_every_project_the_image_depends_on(string dockerfile, string project, string dll)
    {
        _ = dll;
        var text = Repository.Read(dockerfile.Split('/'));
        var copied = CopyProjectPattern().Matches(text).Select(m => m.Groups[1].Value).ToHashSet(StringComparer.Ordinal);

        foreach (var path in copied)
        {
            Assert.True(File.Exists(Repository.PathOf(path.Split('/'))), $"{dockerfile} copies {path}, which does not exist");
        }

        foreach (var needed in ProjectClosure(project))
        {
            Assert.True(copied.Contains(needed), $"{dockerfile} restores without {needed} (a project reference of {project})");
        }
    }

    [Fact]
    public void Dockerignore_keeps_local_state_and_build_output_out_of_the_context()
    {
        var text = Repository.Read(".dockerignore");
        foreach (var entry in new[] { "**/bin/", "**/obj/", ".local/", ".git/", "artifacts/" })
        {
            Assert.Contains(entry, text, StringComparison.Ordinal);
        }
    }

    /// <summary>The project and every project it references, transitively, as repository-relative paths.</summary>
    private static IEnumerable<string> ProjectClosure(string project)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([project]);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            if (!seen.Add(current))
            {
                continue;
            }

            var full = Repository.PathOf(current.Split('/'));
            var directory = Path.GetDirectoryName(full)!;
            foreach (var reference in XDocument.Load(full).Descendants("ProjectReference"))
            {
                var include = reference.Attribute("Include")!.Value.Replace('\\', '/');
                var resolved = Path.GetFullPath(Path.Combine(directory, include));
                pending.Push(Path.GetRelativePath(Repository.Root, resolved).Replace('\\', '/'));
            }
        }

        return seen;
    }

    [GeneratedRegex(@"(?m)^USER\s+(\S+)\s*$")]
    private static partial Regex UserPattern();

    [GeneratedRegex(@"(?m)^COPY\s+(src/\S+\.csproj)\s")]
    private static partial Regex CopyProjectPattern();
}
