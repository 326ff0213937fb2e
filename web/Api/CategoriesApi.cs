using CommandCenter.Access;
using CommandCenter.Web.Access;
using CommandCenter.Web.Application;
using Microsoft.AspNetCore.Http.HttpResults;

namespace CommandCenter.Web.Api;

/// <summary>The configured incident categories over HTTP.</summary>
public static class CategoriesApi
{
    public static IEndpointRouteBuilder MapCategoriesApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapApiGroup("/api/categories", "Categories");
        api.MapGet("/", (CategoryService categories) => TypedResults.Ok(categories.List()))
            .WithName("ListCategories")
            .WithSummary("Every category in list order: { code, name, fullName (矛盾纠纷 › 邻里纠纷), parent, order, active, countsAs }. "
                + "A report names its category by code; a retired one takes no new reports.")
            .RequireAccess(AccessAction.ReadCategories, AccessTarget.Anywhere);
        api.MapPut("/{code}", (string code, Body<SaveCategoryRequest> body, HttpContext http, CategoryService categories) =>
                categories.Save(http.Actor(), code, body.Value).Answer(TypedResults.Ok))
            .WithName("SaveCategory")
            .WithSummary("Add or change a category: { name, order, active, countsAs: [dispute | publicSecurity | criminal | safetyHazard | petition] }; "
                + "a child's code is its parent's, a dot and its own part (dispute.neighbor). Audited.")
            .ProducesValidationProblem()
            .RequireAccess(AccessAction.ManageCategories, AccessTarget.County);
        return app;
    }
}
