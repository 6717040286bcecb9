namespace SignalSharp.Relay;

/// <summary>One device of one account: the unit that owns a mailbox, a credential and a key bundle.</summary>
/// <param name="Name">The account name.</param>
/// <param name="DeviceId">The device id, 1..127.</param>
public readonly record struct DeviceKey(string Name, int DeviceId)
{
    /// <inheritdoc />
    public override string ToString() => $"{Name}.{DeviceId}";
}
