namespace BindingService.AliyunSimulator.Actions;

/// <summary>The number inventory, blacklist, recording/ASR/SMS and PhoneNumberEncrypt actions (API-DIGEST §3.11–3.23, §3.29).</summary>
public static class NumberActions
{
    public static IServiceCollection AddNumberActions(this IServiceCollection services)
    {
        return services;
    }
}
