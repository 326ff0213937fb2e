using CommandCenter.Access;

namespace CommandCenter.Web.Access;

/// <summary>How the pages name roles.</summary>
public static class RoleNames
{
    public static string Chinese(Role role) => role switch
    {
        Role.Administrator => "系统管理员",
        Role.Commander => "指挥长",
        Role.DutyOfficer => "值班员",
        Role.TownshipStation => "乡镇(街道)综治中心",
        Role.VillageStation => "村(社区)",
        Role.GridChief => "网格长",
        Role.GridWorker => "网格员",
        Role.PatrolPolice => "巡逻民警",
        Role.Department => "职能部门",
        Role.Integration => "接入系统",
        Role.Citizen => "群众",
        _ => role.ToString(),
    };
}
