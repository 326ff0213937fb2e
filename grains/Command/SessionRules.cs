namespace CommandCenter.Command;

/// <summary>
/// The rules of a session's shared view (领屏/跟随) and what it shares: who may share a view, what a view and a piece of
/// markup may be, how a change leaves the session, and how views are numbered.
/// </summary>
public static class SessionRules
{
    /// <summary>The wall's layers a view can have on, by their names in the wall's script (wall-map.js).</summary>
    public static readonly IReadOnlyList<string> Layers = ["gridWorkers", "patrolOfficers", "cameras", "incidents"];

    public const double MinZoom = 0;
    public const double MaxZoom = 22;
    public const int MaxMarkupPoints = 500;
    public const double MaxRadiusMetres = 50_000;
    public const int MaxLabelLength = 60;
    public const int MaxCodeLength = 64;

    /// <summary>Whether <paramref name="caller"/> leads the session's view now (an open session only).</summary>
    public static bool Leads(CommandSession session, string caller) => session.IsOpen && string.Equals(session.Leader, caller, StringComparison.Ordinal);

    /// <summary>The session as a change leaves it (who leads, what it shares); changes of instructions and markup leave it as it is.</summary>
    public static CommandSession Apply(CommandSession session, CommandChange? change) => change switch
    {
        TakeLead lead => session with { Leader = lead.Leader, LeaderName = lead.LeaderName },
        GiveFloor floor => session with { Floor = floor.Station },
        ShareWithSession share => session with
        {
            Incidents = [.. session.Incidents, .. share.Incidents],
            Cameras = [.. session.Cameras, .. share.Cameras],
        },
        _ => session,
    };

    /// <summary>What of <paramref name="incidents"/> and <paramref name="cameras"/> the session does not share yet (each once); null when nothing.</summary>
    public static ShareWithSession? NewShares(CommandSession session, IEnumerable<Guid> incidents, IEnumerable<string> cameras)
    {
        var newIncidents = incidents.Distinct().Except(session.Incidents).ToList();
        var newCameras = cameras.Distinct(StringComparer.Ordinal).Except(session.Cameras, StringComparer.Ordinal).ToList();
        return newIncidents.Count + newCameras.Count == 0 ? null : new ShareWithSession(session.Id, newIncidents, newCameras);
    }

    /// <summary>
    /// The number of the next view: one more than the last, and never below the time in milliseconds, so a session
    /// whose activation starts again (its last number forgotten) still numbers on past what followers have seen.
    /// </summary>
    public static long NextVersion(long last, DateTimeOffset at) => Math.Max(last + 1, at.ToUnixTimeMilliseconds());

    /// <summary>What is wrong with a view, by field; empty when nothing.</summary>
    public static Dictionary<string, string[]> ViewErrors(MapView? view)
    {
        var errors = new Dictionary<string, string[]>();
        if (view is null)
        {
            errors["view"] = ["Required."];
            return errors;
        }
        if (!double.IsFinite(view.Lat) || view.Lat is < -90 or > 90)
            errors["lat"] = ["From -90 to 90."];
        if (!double.IsFinite(view.Lng) || view.Lng is < -180 or > 180)
            errors["lng"] = ["From -180 to 180."];
        if (!double.IsFinite(view.Zoom) || view.Zoom is < MinZoom or > MaxZoom)
            errors["zoom"] = [$"From {MinZoom} to {MaxZoom}."];
        if (view.Layers is null)
            errors["layers"] = ["Required (an empty list: no layer on)."];
        else if (view.Layers.FirstOrDefault(l => !Layers.Contains(l)) is { } unknown)
            errors["layers"] = [$"Unknown layer '{Clip(unknown)}': one of {string.Join(", ", Layers)}."];
        else if (view.Layers.Count > Layers.Count)
            errors["layers"] = [$"At most {Layers.Count}."];
        if (view.SelectedIncident is { } incident && !Guid.TryParse(incident, out _))
            errors["selectedIncident"] = ["An incident's id."];
        if (view.SelectedCamera is { Length: 0 or > MaxCodeLength })
            errors["selectedCamera"] = [$"A camera's id, 1 to {MaxCodeLength} characters."];
        if (view.Highlight is { Length: 0 or > MaxCodeLength })
            errors["highlight"] = [$"An area's code, 1 to {MaxCodeLength} characters."];
        return errors;
    }

    /// <summary>What is wrong with a shape of markup (field "points" or "radius"); null when nothing.</summary>
    public static (string Field, string Message)? ShapeError(MarkupKind kind, IReadOnlyList<MarkupPoint> points, double? radius)
    {
        if (points.Count > MaxMarkupPoints)
            return ("points", $"At most {MaxMarkupPoints}.");
        for (var i = 0; i < points.Count; i++)
        {
            var p = points[i];
            if (!double.IsFinite(p.Lat) || p.Lat is < -90 or > 90 || !double.IsFinite(p.Lng) || p.Lng is < -180 or > 180)
                return ($"points[{i}]", "[lat, lng] with lat from -90 to 90 and lng from -180 to 180.");
        }
        return kind switch
        {
            MarkupKind.Line when points.Count < 2 => ("points", "A line has at least 2 points."),
            MarkupKind.Polygon when points.Count < 3 => ("points", "A polygon has at least 3 points."),
            MarkupKind.Circle when points.Count != 1 => ("points", "A circle has exactly 1 point, its centre."),
            MarkupKind.Circle when radius is not (> 0 and <= MaxRadiusMetres) => ("radius", $"Metres, more than 0 and at most {MaxRadiusMetres}."),
            not MarkupKind.Circle when radius is not null => ("radius", "Only a circle has a radius."),
            _ => null,
        };
    }

    private static string Clip(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
