namespace CommandCenter.Web.Simulation;

public sealed class SimulatorOptions
{
    /// <summary>Run the demo simulator (on in ./run.sh unless --no-simulator).</summary>
    public bool Enabled { get; set; }

    /// <summary>Incident reports per minute, across the county.</summary>
    public double ReportsPerMinute { get; set; } = 12;

    /// <summary>Share of people who take a step each second.</summary>
    public double MovingShare { get; set; } = 0.25;

    /// <summary>Length of one step, in metres.</summary>
    public double StepMetres { get; set; } = 25;

    /// <summary>Seed for the random walk and the reports, so a demo run can be repeated.</summary>
    public int Seed { get; set; } = 20261123;
}
