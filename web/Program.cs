using CommandCenter.Web.Access;
using CommandCenter.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
if (await AdminCommand.TryRun(args, builder.Configuration) is { } exitCode)
    return exitCode;
builder.AddCommandCenterWeb();

var app = builder.Build();
app.MapCommandCenter();
app.Run();
return 0;

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
