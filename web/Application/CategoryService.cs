using CommandCenter.Access;
using CommandCenter.Categories;

namespace CommandCenter.Web.Application;

/// <summary>A category as the API and the pages show it: its code, its name with its parent's, what it counts as.</summary>
public sealed record CategoryView(string Code, string Name, string FullName, string? Parent, int Order, bool Active,
    IReadOnlyList<CategoryKind> CountsAs);

/// <summary>A category as an administrator saves it (<c>PUT /api/categories/{code}</c>): the code comes from the address.</summary>
public sealed record SaveCategoryRequest(string Name, int Order, bool Active, IReadOnlyList<CategoryKind> CountsAs)
    : IRequestContract<SaveCategoryRequest>
{
    public static int MaxBytes => 4 * 1024;

    public static SaveCategoryRequest Read(JsonFields body) => new(
        body.Text("name", CategoryCodes.MaxNameLength, required: true) ?? "",
        body.Integer("order", 0, 100_000) ?? 0,
        body.Boolean("active") ?? true,
        body.Has("countsAs") ? (body.EnumList<CategoryKind>("countsAs") ?? []).Select(w => EnumWords.TryParse<CategoryKind>(w, out var kind) ? kind : default).ToList() : []);
}

/// <summary>
/// The configured incident categories (事件类别): everyone who reports or reads incidents reads them; an administrator
/// adds, renames, reorders and retires them (never deletes: what was reported keeps its name), audited.
/// </summary>
public sealed class CategoryService(CategoryCatalog catalog, CategoryStore store, AuditLog audit)
{
    public IReadOnlyList<CategoryView> List() => Views(catalog.List);

    public static IReadOnlyList<CategoryView> Views(CategoryList list) =>
        list.All.Select(c => new CategoryView(c.Code, c.Name, list.FullName(c.Code), c.Parent, c.Order, c.Active, c.CountsAs)).ToList();

    public async Task<Outcome<CategoryView>> Save(Actor actor, string code, SaveCategoryRequest request)
    {
        await catalog.Refresh();
        var edit = new IncidentCategory(code, request.Name.Trim(), request.Order, request.Active, request.CountsAs);
        if (catalog.List.RefusalOfEdit(edit) is var (field, reason))
            return Refusal.Invalid(field, reason);
        var before = catalog.List.Find(code);
        await store.Save(edit);
        await catalog.Refresh(force: true);
        await audit.Append(actor.Caller, AuditActions.SaveCategory, code,
            detail: (before is null ? "added" : $"was {before.Name}{(before.Active ? "" : " (retired)")}")
                + $" · {edit.Name}{(edit.Active ? "" : " (retired)")} · counts as: {(edit.CountsAs.Count == 0 ? "nothing" : string.Join(", ", edit.CountsAs.Select(k => Json.Word(k))))}",
            clientAddress: actor.ClientAddress);
        return Views(catalog.List).Single(c => c.Code == code);
    }
}
