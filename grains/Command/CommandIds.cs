namespace CommandCenter.Command;

/// <summary>The ids of what the command API creates, derived from the caller and the request's Idempotency-Key (<see cref="KeyedIds"/>).</summary>
public static class CommandIds
{
    public static Guid Session(string callerId, string key) => KeyedIds.Of("command-session", callerId, key);

    public static Guid Instruction(string callerId, string key) => KeyedIds.Of("instruction", callerId, key);

    public static Guid Markup(string callerId, string key) => KeyedIds.Of("command-markup", callerId, key);

    public static Guid Report(string callerId, string key) => KeyedIds.Of("instruction-report", callerId, key);
}
