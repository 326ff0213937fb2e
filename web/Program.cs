using CommandCenter.Web.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddCommandCenterWeb();

var app = builder.Build();
app.MapCommandCenter();
app.Run();

/// <summary>Entry point; public for WebApplicationFactory in the tests.</summary>
public partial class Program;
