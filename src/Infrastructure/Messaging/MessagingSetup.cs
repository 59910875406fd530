using MassTransit;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace BindingService.Infrastructure.Messaging;

internal static class MessagingSetup
{
    public static IServiceCollection AddMessaging(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RabbitMqOptions>().Bind(configuration.GetSection(RabbitMqOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<OutboxOptions>().Bind(configuration.GetSection(OutboxOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        services.AddSingleton<OutboxPruner>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxPruner>());

        services.AddMassTransit(bus =>
        {
            bus.ConfigureHealthCheckOptions(health =>
            {
                health.Name = "rabbitmq";
                health.Tags.Add("ready");
            });
            bus.UsingRabbitMq((context, rabbit) =>
            {
                var o = context.GetRequiredService<IOptions<RabbitMqOptions>>().Value;
                rabbit.Host(o.Host, o.Port, o.VirtualHost, h =>
                {
                    h.Username(o.Username);
                    h.Password(o.Password);
                    h.RequestedConnectionTimeout(TimeSpan.FromSeconds(5));
                });
                // Declare every event's exchanges (and their binding to IBindingEvent) when the bus starts, not at
                // the first publish: a consumer can bind its queue as soon as the service runs.
                rabbit.DeployPublishTopology = true;
                foreach (var eventType in OutboxEventTypes.All)
                {
                    rabbit.Publish(eventType, _ => { });
                }

                rabbit.ConfigureEndpoints(context);
            });
        });

        // The API must start and serve even while the broker is down: events wait in the outbox.
        services.Configure<MassTransitHostOptions>(o =>
        {
            o.WaitUntilStarted = false;
            o.StartTimeout = TimeSpan.FromSeconds(30);
            o.StopTimeout = TimeSpan.FromSeconds(20);
        });
        return services;
    }
}
