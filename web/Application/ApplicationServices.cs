namespace CommandCenter.Web.Application;

/// <summary>The application services, one per area: what endpoints, hub methods, pages and the demo call.</summary>
public static class ApplicationServices
{
    public static WebApplicationBuilder AddApplicationServices(this WebApplicationBuilder builder)
    {
        builder.Services.AddSingleton<StoreCircuit>();
        builder.Services.AddSingleton<ReadAudit>();
        builder.Services.AddSingleton<IncidentService>();
        builder.Services.AddSingleton<PhotoCopies>();
        // The rating links need the keys' certificate (AccessHosting), which only web hosts have.
        builder.Services.AddSingleton<CommandCenter.Incidents.RatingLinks>();
        builder.Services.AddOptions<CommandCenter.Incidents.RatingOptions>().Bind(builder.Configuration.GetSection("CommandCenter:Ratings"))
            .Validate(o => o.LinkLifetime > TimeSpan.Zero, "CommandCenter:Ratings:LinkLifetime must be a positive time span (e.g. 30.00:00:00).")
            .ValidateOnStart();
        builder.Services.AddKeyedSingleton<TimeProvider>(CommandCenter.Incidents.RatingLinks.ClockKey, (sp, _) => sp.GetRequiredService<TimeProvider>());
        builder.Services.AddSingleton<AttachmentService>();
        builder.Services.AddSingleton<WorkerService>();
        builder.Services.AddSingleton<PatrolSessions>();
        builder.Services.AddSingleton<PatrolService>();
        builder.Services.AddSingleton<TrackService>();
        builder.Services.AddSingleton<ResponderService>();
        builder.Services.AddSingleton<AlertService>();
        builder.Services.AddSingleton<CameraService>();
        builder.Services.AddSingleton<PeopleService>();
        builder.Services.AddSingleton<VideoWallService>();
        builder.Services.AddSingleton<JurisdictionService>();
        builder.Services.AddSingleton<AccountService>();
        builder.Services.AddSingleton<CalendarYearService>();
        builder.Services.AddSingleton<CategoryService>();
        builder.Services.AddSingleton<StatsService>();
        builder.Services.AddSingleton<ReportService>();
        builder.Services.AddSingleton<RankingService>();
        builder.Services.AddOptions<CommandCenter.Statistics.MonthlyReportOptions>().Bind(builder.Configuration.GetSection("CommandCenter:Reports"));
        builder.Services.AddSingleton<CommandCenter.Web.Hosting.MonthlyReportJob>();
        builder.Services.AddHostedService(sp => sp.GetRequiredService<CommandCenter.Web.Hosting.MonthlyReportJob>());
        builder.Services.AddOptions<CommandCenter.Statistics.RankingOptions>().Bind(builder.Configuration.GetSection("CommandCenter:Rankings"));
        builder.Services.AddSingleton<FeedService>();
        builder.Services.AddSingleton<CommandService>();
        builder.Services.AddSingleton<ConferenceService>();
        builder.Services.AddSingleton<VideoEventService>();
        builder.Services.AddSingleton<ZeroReportService>();
        builder.Services.AddSingleton<RollCallService>();
        return builder;
    }
}
