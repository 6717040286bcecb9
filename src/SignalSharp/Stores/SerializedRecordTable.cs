using System.Security.Cryptography;

namespace SignalSharp;

/// <summary>
/// The serialized pre-key records of an in-memory store, by id. The table owns every array it holds: a replaced or
/// removed array is wiped, and records leave only as fresh objects parsed from the bytes, never as the array.
/// </summary>
/// <remarks>
/// Thread-safe: every member runs under the table's lock, parsing included, so that a concurrent removal cannot
/// wipe bytes while a load is still reading them. A store that needs several calls to be atomic holds its own
/// lock around them (this lock is always the inner one).
/// </remarks>
internal sealed class SerializedRecordTable
{
    private readonly Dictionary<uint, byte[]> _records = [];
    private readonly object _gate = new();

    /// <summary>The shape of the records' <c>Deserialize</c> methods.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="data">The serialized record.</param>
    /// <returns>The parsed record.</returns>
    public delegate T Parser<out T>(ReadOnlySpan<byte> data);

    /// <summary>Stores <paramref name="serialized"/> under <paramref name="id"/>, taking ownership; a previous array is wiped.</summary>
    /// <param name="id">The record id.</param>
    /// <param name="serialized">A fresh array nobody else holds.</param>
    public void Put(uint id, byte[] serialized)
    {
        lock (_gate)
        {
            if (_records.Remove(id, out var previous) && !ReferenceEquals(previous, serialized))
            {
                CryptographicOperations.ZeroMemory(previous);
            }

            _records[id] = serialized;
        }
    }

    /// <summary>Whether a record with <paramref name="id"/> is held.</summary>
    /// <param name="id">The record id.</param>
    /// <returns>True when present.</returns>
    public bool Contains(uint id)
    {
        lock (_gate)
        {
            return _records.ContainsKey(id);
        }
    }

    /// <summary>Parses the record with <paramref name="id"/> into a new object.</summary>
    /// <typeparam name="T">The record type.</typeparam>
    /// <param name="id">The record id.</param>
    /// <param name="parse">The record's deserializer.</param>
    /// <returns>The parsed record, or null when none has that id.</returns>
    public T? Parse<T>(uint id, Parser<T> parse)
        where T : class
    {
        lock (_gate)
        {
            return _records.TryGetValue(id, out var bytes) ? parse(bytes) : null;
        }
    }

    /// <summary>Removes and wipes the record with <paramref name="id"/>; nothing happens when none has that id.</summary>
    /// <param name="id">The record id.</param>
    /// <returns>True when a record was removed.</returns>
    public bool Remove(uint id)
    {
        lock (_gate)
        {
            if (!_records.Remove(id, out var bytes))
            {
                return false;
            }

            CryptographicOperations.ZeroMemory(bytes);
            return true;
        }
    }
}
