using System.Security.Cryptography;
using CommandCenter.Access;
using CommandCenter.Jurisdictions;
using CommandCenter.Web.Access;
using CommandCenter.Workers;

namespace CommandCenter.Web.Application;

/// <summary>
/// What a people list did: how many people by role, and the accounts it named, each with its grids and, when the import
/// created it, its first password (shown this once, like an integration's key).
/// </summary>
public sealed record PeopleImportSummary(int People, IReadOnlyDictionary<string, int> ByRole, IReadOnlyList<PersonAccountView> Accounts);

public sealed record PersonAccountView(string Username, string Name, Role Role, IReadOnlyList<string> Grids, bool Created, string? Password);

/// <summary>
/// The county's people (grid workers, grid chiefs, patrol officers) imported from its lists, all or nothing, with the
/// accounts the list names (警务+网格: an officer's account covers all his grids); audited.
/// </summary>
public sealed class PeopleService(JurisdictionDirectory directory, JurisdictionStore store, AccountStore accounts, PoliceBindingDirectory police,
    AuditLog audit)
{
    public const int MaxImportBytes = 8 * 1024 * 1024;

    private const string PasswordAlphabet = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    private const int PasswordLength = 16;

    /// <summary>
    /// Adds or updates the people of a CSV or Excel list, naming every bad row (<c>rows[3].grid</c>); an account a row
    /// names is created for its person, or given the row's grids when it is theirs already, and refused when it is
    /// someone else's. Nothing is taken unless all are good.
    /// </summary>
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

        var created = new List<(NewAccount Account, string Password)>();
        var rebound = new List<NewAccount>();
        var problems = new List<ImportProblem>();
        foreach (var named in result.Accounts)
        {
            var account = named.ToAccount();
            if (await accounts.Find(named.Username) is not { } existing)
                created.Add((account, RandomNumberGenerator.GetString(PasswordAlphabet, PasswordLength)));
            else if (existing.WorkerId == named.Person.Id)
                rebound.Add(account);
            else
                problems.Add(new ImportProblem(named.Row, named.Person.Id, "account", $"The account {named.Username} is someone else's."));
        }
        if (problems.Count > 0)
            return Refusal.Invalid(ImportProblem.ByField(problems));
        if (!await store.UpsertPeople(result.People, created.Select(c => (c.Account, Authenticator.Hash(c.Password))).ToList(), rebound))
            return Refusal.Conflict("account", "An account the list names was created or changed meanwhile: import the list again.");
        police.Invalidate();
        await directory.Refresh(force: true);

        var byRole = result.People.GroupBy(p => Json.Word(p.Role)).ToDictionary(g => g.Key, g => g.Count());
        await audit.Append(actor.Caller, AuditActions.ImportPeople, null,
            detail: $"{result.People.Count} people: " + string.Join(", ", byRole.Select(r => $"{r.Key} {r.Value}"))
                + (result.Accounts.Count > 0 ? $"; accounts: {created.Count} created, {rebound.Count} given their grids" : ""),
            clientAddress: actor.ClientAddress);
        await Task.WhenAll(created.Select(c => audit.Append(actor.Caller, AuditActions.CreateAccount, Caller.UserId(c.Account.Username),
            detail: $"{c.Account.Role} · {string.Join(",", c.Account.Jurisdictions)} · people.import", clientAddress: actor.ClientAddress)));
        var passwords = created.ToDictionary(c => c.Account.Username, c => c.Password);
        return new PeopleImportSummary(result.People.Count, byRole, result.Accounts
            .Select(a => a.ToAccount())
            .Select(a => new PersonAccountView(a.Username, a.DisplayName, a.Role, a.Jurisdictions, passwords.ContainsKey(a.Username),
                passwords.GetValueOrDefault(a.Username)))
            .ToList());
    }
}
