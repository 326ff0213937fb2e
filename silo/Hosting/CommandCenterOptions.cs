namespace CommandCenter.Silo.Hosting;

public sealed class CommandCenterOptions
{
    /// <summary>Import the built-in demo county (Baiyin District) when the registry is empty.</summary>
    public bool DemoCounty { get; set; }

    /// <summary>With <see cref="DemoCounty"/>: import the demo city around it instead (白银市: the demo county and four real counties).</summary>
    public bool DemoCity { get; set; }

    /// <summary>Grid workers the demo county gets beyond its own 1,250 people (a bench at a city's scale; 0: none).</summary>
    public int DemoMoreGridWorkers { get; set; }

    /// <summary>How often each host checks whether the registry changed (another host imported a county).</summary>
    public TimeSpan RegistryRefreshInterval { get; set; } = TimeSpan.FromSeconds(5);
}
