using CommandCenter.Access;
using CommandCenter.Categories;
using CommandCenter.Alerts;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Web.Application;

/// <summary>An alert as the phone and the dispatchers see it: the grid by name, and where it stands.</summary>
public sealed record AlertView(
    Guid Id,
    Guid Incident,
    string Username,
    string Name,
    AlertKind Kind,
    string GridCode,
    string GridName,
    string Category,
    string Title,
    DateTimeOffset CreatedAt,
    DateTimeOffset DueAt,
    DateTimeOffset? DeliveredAt,
    DateTimeOffset? AcknowledgedAt,
    DateTimeOffset? EscalatedAt,
    AlertState State);

/// <summary>The categories a person is alerted of: a list, or null for every category.</summary>
public sealed record AlertCategoriesRequest(IReadOnlyList<string>? Categories) : IRequestContract<AlertCategoriesRequest>
{
    public const int MaxCategories = 50;

    public static int MaxBytes => 8 * 1024;

    public static AlertCategoriesRequest Read(JsonFields body) =>
        new(body.Has("categories") ? body.TextList("categories", MaxCategories, 32) : null);
}

/// <summary>
/// Grid alerts (警务+网格): the alerts an incident change raised for a person (<see cref="AlertRules"/>, written in the
/// change's commit) are read on their phone, where they sign them (签收, audited); dispatchers list an area's; a person
/// chooses the categories they are alerted of. What is not signed in time the alert sweep sends up (<see cref="AlertSweepGrain"/>);
/// delivery and signing are timed by the sweep's clock.
/// </summary>
public sealed class AlertService(AlertStore store, JurisdictionDirectory directory, CategoryCatalog catalog, AuditLog audit,
    [FromKeyedServices(AlertSweepGrain.ClockKey)] TimeProvider clock)
{
    public const int DefaultLimit = 50;

    public const int MaxLimit = 500;

    /// <summary>The caller's alerts, the unacknowledged first; reading them marks them delivered.</summary>
    public async Task<Outcome<IReadOnlyList<AlertView>>> Mine(Caller caller) =>
        caller.Username is not { } username ? NotAPerson()
        : (await store.Mine(username, DefaultLimit, clock.GetUtcNow())).Select(View).ToList();

    /// <summary>Signs one of the caller's alerts; signed already: answered as it is.</summary>
    public async Task<Outcome<AlertView>> Acknowledge(Actor actor, Guid id)
    {
        if (actor.Caller.Username is not { } username || await store.Find(id) is not { } alert || alert.Username != username)
            return Refusal.NotFound($"No alert {id} of yours.");
        if (alert.AcknowledgedAt is not null)
            return View(alert);
        var signed = (await store.Acknowledge(id, clock.GetUtcNow()))!;
        await audit.Append(actor.Caller, AuditActions.AcknowledgeAlert, id.ToString(),
            detail: $"{(alert.EscalatedAt is null ? "in time" : "after it was sent up")} · incident {alert.Incident} · {alert.Title}",
            clientAddress: actor.ClientAddress);
        return View(signed);
    }

    /// <summary>The alerts of an area's grids, newest first; <paramref name="state"/> one of open, acknowledged, escalated.</summary>
    public async Task<Outcome<IReadOnlyList<AlertView>>> InArea(string? jurisdiction, string? state, int? limit)
    {
        var errors = new Dictionary<string, string[]>();
        var wanted = EnumWords.Optional<AlertState>("state", state, errors);
        if (limit is < 1 or > MaxLimit)
            errors["limit"] = [$"From 1 to {MaxLimit}."];
        if (errors.Count > 0)
            return Refusal.Invalid(errors);
        return (await store.InArea(jurisdiction!, wanted, limit ?? DefaultLimit)).Select(View).ToList();
    }

    public async Task<Outcome<AlertCategoriesRequest>> Categories(Caller caller) =>
        caller.Username is not { } username ? NotAPerson() : new AlertCategoriesRequest(await store.Categories(username));

    /// <summary>Sets the categories the caller is alerted of (null: every category; a parent: it and its children); audited.</summary>
    public async Task<Outcome<AlertCategoriesRequest>> SetCategories(Actor actor, AlertCategoriesRequest request)
    {
        if (request.Categories?.FirstOrDefault(c => catalog.List.Find(c) is null) is { } unknown)
            return Refusal.Invalid("categories", CategoryList.NotACategory(unknown));
        if (actor.Caller.Username is not { } username || !await store.SetCategories(username, request.Categories))
            return NotAPerson();
        await audit.Append(actor.Caller, AuditActions.SetAlertCategories, actor.Caller.Id,
            detail: request.Categories is { } categories ? string.Join(", ", categories) : "every category", clientAddress: actor.ClientAddress);
        return request;
    }

    private AlertView View(Alert a) => new(a.Id, a.Incident, a.Username, a.Name, a.Kind, a.GridCode,
        directory.Tree?.NameOf(a.GridCode) ?? a.GridCode, a.Category, a.Title, a.CreatedAt, a.DueAt, a.DeliveredAt, a.AcknowledgedAt,
        a.EscalatedAt, a.State);

    private static Refusal NotAPerson() => Refusal.Forbidden("account", "Alerts are for people's own accounts.");
}
