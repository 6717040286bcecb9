namespace SignalSharp.Storage;

/// <summary>How <see cref="SqliteSignalProtocolStore.OpenAsync"/>, <see cref="SqliteSignalProtocolStore.CreateAsync"/> and <see cref="SqliteSignalProtocolStore.OpenOrCreateAsync"/> set up the database connection.</summary>
public sealed class SqliteStoreOptions
{
    /// <summary>The defaults: <see cref="SqliteDurability.Full"/>.</summary>
    public static SqliteStoreOptions Default { get; } = new();

    /// <summary>How commits reach the disk; <see cref="SqliteDurability.Full"/> unless you know better.</summary>
    public SqliteDurability Durability { get; init; } = SqliteDurability.Full;
}
