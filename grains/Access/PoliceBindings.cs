using CommandCenter.Geography;
using CommandCenter.Jurisdictions;

namespace CommandCenter.Access;

/// <summary>A patrol officer bound to grids (警务+网格): their account and the person they are in the registry.</summary>
public sealed record BoundOfficer(string Username, string WorkerId);

/// <summary>
/// Which patrol officers are bound to which grids (警务+网格): an officer's account (role patrol police, with a person)
/// covers the grids within its jurisdictions, so an officer bound to a village is bound to each of its grids. Plain
/// and immutable; <see cref="PoliceBindingDirectory"/> keeps the current one on each host.
/// </summary>
public sealed class PoliceBindings
{
    public static readonly PoliceBindings None = new(new Dictionary<string, IReadOnlyList<BoundOfficer>>());

    private readonly IReadOnlyDictionary<string, IReadOnlyList<BoundOfficer>> _byGrid;

    private PoliceBindings(IReadOnlyDictionary<string, IReadOnlyList<BoundOfficer>> byGrid) => _byGrid = byGrid;

    public static PoliceBindings Build(IEnumerable<Account> accounts, JurisdictionTree tree)
    {
        var byGrid = new Dictionary<string, List<BoundOfficer>>(StringComparer.Ordinal);
        foreach (var account in accounts.Where(a => a.Role == Role.PatrolPolice && a.WorkerId is not null)
                     .OrderBy(a => a.Username, StringComparer.Ordinal))
        {
            var officer = new BoundOfficer(account.Username, account.WorkerId!);
            var grids = account.Jurisdictions.Where(code => tree.Find(code) is not null)
                .SelectMany(code => GridsWithin(tree, code)).Distinct(StringComparer.Ordinal);
            foreach (var grid in grids)
            {
                if (!byGrid.TryGetValue(grid, out var officers))
                    byGrid[grid] = officers = [];
                officers.Add(officer);
            }
        }
        return new(byGrid.ToDictionary(p => p.Key, p => (IReadOnlyList<BoundOfficer>)p.Value, StringComparer.Ordinal));
    }

    /// <summary>The officers bound to the grid, by username.</summary>
    public IReadOnlyList<BoundOfficer> For(string gridCode) => _byGrid.GetValueOrDefault(gridCode) ?? [];

    /// <summary>Whether the person is an officer bound to the grid.</summary>
    public bool IsBound(string workerId, string gridCode) => For(gridCode).Any(o => o.WorkerId == workerId);

    private static IEnumerable<string> GridsWithin(JurisdictionTree tree, string code) =>
        tree.Find(code)!.Level == JurisdictionLevel.Grid
            ? [code]
            : tree.ChildrenOf(code).SelectMany(child => GridsWithin(tree, child.Code));
}

/// <summary>
/// This host's <see cref="PoliceBindings"/>, built from the accounts and the tree: read again at the next use when it
/// is older than <see cref="RefreshEvery"/> or the tree moved (what another host changed shows within that), and at
/// once after <see cref="Invalidate"/> (an account created or changed on this host). One read at a time.
/// </summary>
public sealed class PoliceBindingDirectory(AccountStore accounts, JurisdictionDirectory directory, TimeProvider clock)
{
    public static readonly TimeSpan RefreshEvery = TimeSpan.FromSeconds(5);

    private sealed record Loaded(PoliceBindings Bindings, long Generation, long TreeVersion, DateTimeOffset At);

    private readonly SingleFlight<Loaded> _loads = new();
    private long _generation;
    private volatile Loaded? _loaded;

    public async Task<PoliceBindings> Current()
    {
        var wanted = Interlocked.Read(ref _generation);
        var readSince = clock.GetUtcNow() - RefreshEvery;
        var loaded = _loaded;
        while (loaded is null || loaded.Generation < wanted || loaded.At < readSince || loaded.TreeVersion != directory.Version)
            loaded = await _loads.Run(nameof(PoliceBindingDirectory), Load);
        return loaded.Bindings;
    }

    public void Invalidate() => Interlocked.Increment(ref _generation);

    private async Task<Loaded> Load()
    {
        var generation = Interlocked.Read(ref _generation);
        var version = directory.Version;
        var at = clock.GetUtcNow();
        var bindings = directory.Tree is { } tree ? PoliceBindings.Build(await accounts.List(), tree) : PoliceBindings.None;
        var loaded = new Loaded(bindings, generation, version, at);
        _loaded = loaded;
        return loaded;
    }
}
