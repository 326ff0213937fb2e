using CommandCenter.Access;
using CommandCenter.Silo.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;

namespace CommandCenter.Web.Access;

/// <summary>
/// The one-off command that creates an administrator outside demo mode:
/// <c>CommandCenter.Web create-admin USERNAME</c>, with the password on standard input and the usual configuration
/// (ConnectionStrings__Postgres). It applies the schema first, so it works on an empty database.
/// </summary>
public static class AdminCommand
{
    public const string Verb = "create-admin";

    /// <summary>Runs the command when the arguments ask for it; returns its exit code, or null to start the server.</summary>
    public static async Task<int?> TryRun(string[] args, IConfiguration configuration)
    {
        if (args.Length == 0 || args[0] != Verb)
            return null;
        if (args.Length != 2 || AccountNames.Normalize(args[1]) is not { } username || !AccountNames.IsValid(username))
        {
            await Console.Error.WriteLineAsync($"usage: {Verb} USERNAME   (password on standard input; USERNAME: lowercase letters, digits, - _ .)");
            return 2;
        }
        var password = (await Console.In.ReadLineAsync())?.TrimEnd('\r', '\n') ?? "";
        if (PasswordRules.Problem(username, password) is { } problem)
        {
            await Console.Error.WriteLineAsync($"The password cannot be used: {problem}");
            return 2;
        }

        await using var db = NpgsqlDataSource.Create(CommandCenterSilo.PostgresConnectionString(configuration));
        await new SchemaMigrator(db, NullLogger<SchemaMigrator>.Instance).Apply();
        var created = await new AccountStore(db).Create(new NewAccount(username, "系统管理员", Role.Administrator, [], null),
            Authenticator.Hash(password));
        if (created)
        {
            await using var audit = new AuditLog(db, TimeProvider.System, NullLogger<AuditLog>.Instance);
            await audit.Append(null, AuditActions.CreateAccount, Caller.UserId(username), detail: $"{Role.Administrator} · by the {Verb} command",
                actor: "command:" + Verb, clientAddress: Environment.MachineName);
        }
        await Console.Out.WriteLineAsync(created ? $"Created administrator {username}." : $"The username {username} is taken; nothing changed.");
        return created ? 0 : 1;
    }
}
