using CommandCenter.Geography;

namespace CommandCenter.Jurisdictions;

/// <summary>
/// This host's read-only copy of the registry (tree, people, cameras), indexed for the hot path:
/// locating a report's grid and listing what a wall shows. Reloaded when the stored version moves.
/// </summary>
public sealed class JurisdictionDirectory(JurisdictionStore store)
{
    private sealed record Index(
        long Version,
        JurisdictionTree? Tree,
        IReadOnlyDictionary<string, WorkerRecord> Workers,
        ILookup<string, WorkerRecord> WorkersByJurisdiction,
        ILookup<string, CameraRecord> CamerasByJurisdiction,
        IReadOnlyDictionary<string, CameraRecord> Cameras);

    private static readonly Index Empty = new(-1, null, new Dictionary<string, WorkerRecord>(),
        Array.Empty<WorkerRecord>().ToLookup(w => w.Id), Array.Empty<CameraRecord>().ToLookup(c => c.Id), new Dictionary<string, CameraRecord>());

    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Index _index = Empty;

    public long Version => _index.Version;

    /// <summary>The tree, or null while no county has been imported.</summary>
    public JurisdictionTree? Tree => _index.Tree;

    public IReadOnlyList<WorkerRecord> WorkersIn(string code) => _index.WorkersByJurisdiction[code].ToList();

    public IReadOnlyList<CameraRecord> CamerasIn(string code) => _index.CamerasByJurisdiction[code].ToList();

    public WorkerRecord? Worker(string id) => _index.Workers.GetValueOrDefault(id);

    public CameraRecord? Camera(string id) => _index.Cameras.GetValueOrDefault(id);

    /// <summary>Where something bound to a grid shows up: the grid and every area above it (just the grid while it is not in the tree).</summary>
    public IReadOnlyList<string> ScopesOf(string gridCode) => ScopesOf(_index.Tree, gridCode);

    /// <summary>Reloads if the stored registry changed since the last load (or always, when <paramref name="force"/>).</summary>
    public async Task Refresh(bool force = false)
    {
        if (!force && await store.Version() == _index.Version)
            return;
        await _reload.WaitAsync();
        try
        {
            var contents = await store.Load();
            if (!force && contents.Version == _index.Version)
                return;
            _index = Build(contents);
        }
        finally
        {
            _reload.Release();
        }
    }

    private static Index Build(JurisdictionStore.Contents contents)
    {
        var tree = contents.Tree;
        return new Index(
            contents.Version,
            tree,
            contents.Workers.ToDictionary(w => w.Id),
            contents.Workers.SelectMany(w => ScopesOf(tree, w.GridCode).Select(code => (code, w))).ToLookup(p => p.code, p => p.w),
            contents.Cameras.SelectMany(c => ScopesOf(tree, c.GridCode).Select(code => (code, c))).ToLookup(p => p.code, p => p.c),
            contents.Cameras.ToDictionary(c => c.Id));
    }

    private static IReadOnlyList<string> ScopesOf(JurisdictionTree? tree, string gridCode) =>
        tree?.Find(gridCode) is null ? [gridCode] : tree.PathToRoot(gridCode);
}
