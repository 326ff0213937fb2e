using CommandCenter.Video;

namespace CommandCenter.Web.Application;

/// <summary>
/// What the media server reports, handed to those it concerns: a session's conference (joins, leaves, failures in its
/// log) and a roll call (a called station's first frame is its answer). A failure here never reaches Janus (it would post the same events again): it is counted and logged.
/// </summary>
public sealed class VideoEventService(ConferenceService conference, RollCallService rollCalls, ILogger<VideoEventService> log)
{
    public async Task Handle(IReadOnlyList<VideoEvent> events)
    {
        foreach (var e in events)
        {
            try
            {
                await conference.Record(e);
                await rollCalls.Record(e);
            }
            catch (Exception failure)
            {
                BackgroundFailures.Count("video.event");
                log.LogWarning(failure, "A media-server event of {Participant} in {Room} was not recorded: {Event}", e.Participant, e.Room, e.GetType().Name);
            }
        }
    }
}
