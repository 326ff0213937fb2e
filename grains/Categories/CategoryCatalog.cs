namespace CommandCenter.Categories;

/// <summary>This host's copy of the configured categories, reloaded when the stored version moves.</summary>
public sealed class CategoryCatalog(CategoryStore store)
{
    private readonly SemaphoreSlim _reload = new(1, 1);
    private volatile Loaded _loaded = new(-1, CategoryList.Empty);

    private sealed record Loaded(long Version, CategoryList List);

    public long Version => _loaded.Version;

    public CategoryList List => _loaded.List;

    /// <summary>Reloads if the stored list changed since the last load (or always, when <paramref name="force"/>).</summary>
    public async Task Refresh(bool force = false)
    {
        if (!force && await store.Version() == _loaded.Version)
            return;
        await _reload.WaitAsync();
        try
        {
            var (version, list) = await store.Load();
            if (force || version != _loaded.Version)
                _loaded = new Loaded(version, list);
        }
        finally
        {
            _reload.Release();
        }
    }

    /// <summary>
    /// Why a new report may not be of <paramref name="code"/>, or null when it may. A code this copy does not know
    /// reloads it once first: another host may have just added the category.
    /// </summary>
    public async Task<string?> RefusalOfReport(string code)
    {
        if (List.Find(code) is null)
            await Refresh();
        return List.RefusalOfReport(code);
    }
}
