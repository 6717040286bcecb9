namespace SignalSharp.Devices;

/// <summary>
/// The server's answer to the messages sent to one user: accepted, or refused because the sender's device list
/// is wrong. <see cref="Missing"/>: devices the user has that got no copy. <see cref="Extra"/>: devices that got a
/// copy but no longer exist. <see cref="Stale"/>: devices whose registration id differs from the message's (the
/// device was reinstalled). A refused send delivered nothing to that user.
/// </summary>
public sealed class DeliveryAnswer
{
    private static readonly IReadOnlyList<int> None = Array.AsReadOnly(Array.Empty<int>());

    /// <summary>Creates an answer; accepted when all three lists are empty.</summary>
    /// <param name="missing">Device ids that exist but got no copy.</param>
    /// <param name="extra">Device ids that got a copy but do not exist.</param>
    /// <param name="stale">Device ids whose registration id changed.</param>
    /// <exception cref="ArgumentOutOfRangeException">A device id is outside 1..127.</exception>
    public DeliveryAnswer(IEnumerable<int>? missing, IEnumerable<int>? extra, IEnumerable<int>? stale)
    {
        Missing = Checked(missing, nameof(missing));
        Extra = Checked(extra, nameof(extra));
        Stale = Checked(stale, nameof(stale));
    }

    /// <summary>The send was accepted and delivered to every listed device.</summary>
    public static DeliveryAnswer Accepted { get; } = new(null, null, null);

    /// <summary>The device ids that exist but got no copy (sorted, distinct).</summary>
    public IReadOnlyList<int> Missing { get; }

    /// <summary>The device ids that got a copy but do not exist (sorted, distinct).</summary>
    public IReadOnlyList<int> Extra { get; }

    /// <summary>The device ids whose registration id changed (sorted, distinct).</summary>
    public IReadOnlyList<int> Stale { get; }

    /// <summary>Whether the server accepted the send.</summary>
    public bool IsAccepted => Missing.Count == 0 && Extra.Count == 0 && Stale.Count == 0;

    /// <summary>A refusal because of missing and/or extra devices (HTTP 409 in Signal's server).</summary>
    /// <param name="missing">Device ids that exist but got no copy.</param>
    /// <param name="extra">Device ids that got a copy but do not exist.</param>
    /// <returns>The answer.</returns>
    public static DeliveryAnswer Mismatched(IEnumerable<int>? missing, IEnumerable<int>? extra) => new(missing, extra, null);

    /// <summary>A refusal because of reinstalled devices (HTTP 410 in Signal's server).</summary>
    /// <param name="stale">Device ids whose registration id changed.</param>
    /// <returns>The answer.</returns>
    public static DeliveryAnswer StaleDevices(IEnumerable<int> stale) => new(null, null, stale);

    /// <summary>The answer as <c>accepted</c> or <c>missing [..] extra [..] stale [..]</c>.</summary>
    /// <returns>The printable form.</returns>
    public override string ToString() => IsAccepted
        ? "accepted"
        : $"missing [{string.Join(",", Missing)}] extra [{string.Join(",", Extra)}] stale [{string.Join(",", Stale)}]";

    private static IReadOnlyList<int> Checked(IEnumerable<int>? ids, string parameter)
    {
        if (ids is null)
        {
            return None;
        }

        var result = ids.Distinct().Order().ToArray();
        foreach (int id in result)
        {
            if (id is < ProtocolAddress.MinDeviceId or > ProtocolAddress.MaxDeviceId)
            {
                throw new ArgumentOutOfRangeException(parameter, id, $"device id must be {ProtocolAddress.MinDeviceId}..{ProtocolAddress.MaxDeviceId}");
            }
        }

        return Array.AsReadOnly(result);
    }
}
