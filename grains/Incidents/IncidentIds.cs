namespace CommandCenter.Incidents;

/// <summary>
/// An incident's id is derived from the caller and the idempotency key of its report (<see cref="KeyedIds"/>), so a
/// retried report reaches the same grain and can never become a second incident.
/// </summary>
public static class IncidentIds
{
    /// <param name="callerId">Who reports (<see cref="Access.Caller.Id"/>); a newline cannot occur in it.</param>
    public static Guid FromIdempotencyKey(string callerId, string idempotencyKey) => KeyedIds.Of("incident", callerId, idempotencyKey);
}
