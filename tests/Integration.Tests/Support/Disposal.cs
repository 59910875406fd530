namespace BindingService.Integration.Tests.Support;

/// <summary>Disposal of a test's stack, in the order given (the service before its simulator, database and servers).</summary>
public static class Disposal
{
    public static async Task InOrderAsync(params IAsyncDisposable?[] items)
    {
        foreach (var item in items)
        {
            if (item is not null)
            {
                await item.DisposeAsync();
            }
        }
    }
}
