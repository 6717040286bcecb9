namespace SignalSharp.Fingerprints;

/// <summary>
/// The 60-digit safety number both parties read aloud or compare on screen. It is symmetric: the two 30-digit
/// halves (one per party) are ordered so that both sides display the same string.
/// </summary>
public sealed class DisplayableFingerprint : IEquatable<DisplayableFingerprint>
{
    internal DisplayableFingerprint(string localDigits, string remoteDigits)
    {
        LocalDigits = localDigits;
        RemoteDigits = remoteDigits;
        DisplayText = string.CompareOrdinal(localDigits, remoteDigits) <= 0
            ? localDigits + remoteDigits
            : remoteDigits + localDigits;
    }

    /// <summary>The 60 decimal digits (no spaces); identical on both parties' devices.</summary>
    public string DisplayText { get; }

    /// <summary>The 30 digits derived from the local party's identity.</summary>
    internal string LocalDigits { get; }

    /// <summary>The 30 digits derived from the remote party's identity.</summary>
    internal string RemoteDigits { get; }

    /// <summary>Formats the safety number as twelve groups of five digits separated by spaces.</summary>
    /// <returns>For example <c>30035 44776 …</c>.</returns>
    public string ToGroupedString()
    {
        var groups = new string[DisplayText.Length / 5];
        for (int i = 0; i < groups.Length; i++)
        {
            groups[i] = DisplayText.Substring(i * 5, 5);
        }

        return string.Join(' ', groups);
    }

    /// <inheritdoc />
    public bool Equals(DisplayableFingerprint? other)
        => other is not null && string.Equals(DisplayText, other.DisplayText, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as DisplayableFingerprint);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(DisplayText);

    /// <summary>The 60 digits, as <see cref="DisplayText"/>.</summary>
    /// <returns>The safety number.</returns>
    public override string ToString() => DisplayText;
}
