using CommandCenter.Feeds;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Command;

/// <summary>
/// Reminds stations of instructions past their time (<see cref="InstructionRules.RemindersDue"/>): every
/// <see cref="CommandOptions.SweepInterval"/> one statement marks each unmet deadline as reminded (each once: a second
/// sweep or silo finds it marked), and each station's walls hear of it again (<c>instructionIssued</c>, with
/// <see cref="InstructionNotice.Reminder"/>), through the station's feed grain (a web silo's). The board shows who was
/// reminded. Its clock is the keyed <see cref="ClockKey"/> time provider (the reminders' clock unless a host sets its own).
/// </summary>
public sealed class InstructionSweepGrain(
    CommandStore store,
    IOptions<CommandOptions> options,
    [FromKeyedServices(InstructionSweepGrain.ClockKey)] TimeProvider clock,
    ILogger<InstructionSweepGrain> log) : SweepGrain, IInstructionSweepGrain
{
    public const string ClockKey = "command";

    public const string Reminder = "instruction-sweep";

    protected override string ReminderName => Reminder;

    protected override TimeSpan ReminderPeriod => options.Value.ReminderPeriod;

    protected override TimeSpan SweepInterval => options.Value.SweepInterval;

    protected override async Task SweepDue()
    {
        try
        {
            var reminded = await store.Remind(Timestamps.Stored(clock.GetUtcNow()));
            if (reminded.Count == 0)
                return;
            log.LogInformation("{Count} instruction deadline(s) passed unmet: stations reminded", reminded.Count);
            foreach (var notice in reminded)
                // One-way: a wall that misses it reads its instructions when it is live again.
                _ = GrainFactory.GetGrain<IFeedGrain>(notice.Recipient).PublishInstruction(notice);
        }
        catch (Exception e)
        {
            BackgroundFailures.Count("instruction.sweep");
            log.LogWarning(e, "Instruction sweep failed; the next one is in {Interval}", options.Value.SweepInterval);
        }
    }
}
