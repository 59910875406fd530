using BindingService.Application.Calls;
using BindingService.Infrastructure.Aliyun;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Receipts;

internal static class ReceiptsSetup
{
    /// <summary>The receiver's inbox, the processor, the call log store, recordings and transcripts, the retention job.</summary>
    public static IServiceCollection AddReceipts(this IServiceCollection services)
    {
        services.AddSingleton(sp => new ReceiptParser(sp.GetRequiredService<IOptions<AliyunOptions>>().Value.CreateChinaTime()));
        services.AddSingleton<ReceiptPayloadProtector>();
        services.AddSingleton<ReceiptSignal>();
        services.AddScoped<IReceiptIntake, ReceiptInbox>();
        services.AddScoped<ICallBindingLookup, CallBindingLookup>();
        services.AddScoped<ICallEventOutbox, CallEventOutboxWriter>();
        services.AddScoped<ICallLog, CallLogStore>();
        services.AddScoped<ICallMedia, AliyunCallMedia>();
        services.AddHostedService<ReceiptProcessor>();
        services.AddHostedService<CallRecordRetention>();
        return services;
    }
}
