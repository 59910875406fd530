namespace BindingService.Deployment.Tests.Support;

/// <summary>Paths in the repository this test assembly was built from.</summary>
internal static class Repository
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The directory holding BindingService.sln, found by walking up from the test binaries.</summary>
    public static string Root => LazyRoot.Value;

    public static string PathOf(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Read(params string[] parts)
    {
        var path = PathOf(parts);
        Assert.True(File.Exists(path), $"{Path.GetRelativePath(Root, path)} is missing");
        return File.ReadAllText(path);
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "BindingService.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException($"BindingService.sln not found above {AppContext.BaseDirectory}");
    }
}
