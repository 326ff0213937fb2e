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

    /// <summary>Share of simulated reports that are worked round the closed loop (the rest wait for a person).</summary>
    public double WorkedShare { get; set; } = 0.8;

    /// <summary>Mean pause between two steps of a simulated case, in seconds.</summary>
    public double CaseStepSeconds { get; set; } = 20;

    /// <summary>Share of worked cases left waiting after dispatch, to run into their deadlines.</summary>
    public double LeftWaitingShare { get; set; } = 0.15;

    /// <summary>Share of people the demo puts off duty at start (the others on duty; one of them in SOS).</summary>
    public double OffDutyShare { get; set; } = 0.15;

    /// <summary>Share of the grids patrolled in each patrol window (<see cref="DemoPatrols"/>); the others are missed.</summary>
    public double PatrolledShare { get; set; } = 0.85;

    /// <summary>Share of the patrols that stop after a few minutes without checking in (partial).</summary>
    public double ShortPatrolShare { get; set; } = 0.1;

    /// <summary>Share of the simulated reports placed in grids a patrol officer's account covers (the rest anywhere).</summary>
    public double PolicedGridShare { get; set; } = 0.2;

    /// <summary>Share of the demo officers' alerts they leave unsigned, to be sent up (<see cref="DemoAlerts"/>).</summary>
    public double UnsignedAlertShare { get; set; } = 0.15;

    /// <summary>Share of people on duty whose phones go silent after their first position: lost contact (失联) after a while.</summary>
    public double LostContactShare { get; set; } = 0.02;

    /// <summary>Seed for the random walk and the reports, so a demo run can be repeated.</summary>
    public int Seed { get; set; } = 20261123;
}
