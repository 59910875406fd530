namespace BindingService.Infrastructure.Tests;

/// <summary>The checkout the tests run from: the first directory above the test binaries that holds BindingService.sln.</summary>
internal static class RepositoryRoot
{
    public static DirectoryInfo? Find()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "BindingService.sln")))
        {
            directory = directory.Parent;
        }

        return directory;
    }
}
