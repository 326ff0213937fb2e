namespace CommandCenter;

/// <summary>Names of the Orleans grain storage providers (all ADO.NET on PostgreSQL).</summary>
public static class StorageNames
{
    public const string Workers = "workers";
}
