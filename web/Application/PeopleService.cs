using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Workers;

namespace CommandCenter.Web.Application;

public sealed record PeopleImportSummary(int People, IReadOnlyDictionary<string, int> ByRole);

/// <summary>The county's people (grid workers, grid chiefs, patrol officers) imported from its lists, all or nothing; audited.</summary>
public sealed class PeopleService(JurisdictionDirectory directory, JurisdictionStore store, AuditLog audit)
{
    public const int MaxImportBytes = 8 * 1024 * 1024;

    /// <summary>Adds or updates the people of a CSV or Excel list, naming every bad row (<c>rows[3].grid</c>); nothing is taken unless all are good.</summary>
    public async Task<Outcome<PeopleImportSummary>> Import(Actor actor, byte[] file, bool xlsx)
    {
        if (directory.Tree is not { } tree)
            return Refusal.Unavailable("No county has been imported yet: import its jurisdictions first.");
        var (rows, error) = SpreadsheetTable.Read(file, xlsx);
        if (rows is null)
            return Refusal.Invalid("$", error!);
        var result = PeopleImport.ReadTable(rows, tree);
        if (result.Problems.Count > 0)
            return Refusal.Invalid(ImportProblem.ByField(result.Problems));
        if (result.People.Count == 0)
            return Refusal.Invalid("$", "No people in the file.");
        await store.UpsertPeopleAndCameras(result.People, []);
        await directory.Refresh(force: true);
        var byRole = result.People.GroupBy(p => Json.Word(p.Role)).ToDictionary(g => g.Key, g => g.Count());
        await audit.Append(actor.Caller, AuditActions.ImportPeople, null,
            detail: $"{result.People.Count} people: " + string.Join(", ", byRole.Select(r => $"{r.Key} {r.Value}")), clientAddress: actor.ClientAddress);
        return new PeopleImportSummary(result.People.Count, byRole);
    }
}
