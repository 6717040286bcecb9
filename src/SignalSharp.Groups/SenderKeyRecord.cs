using Google.Protobuf;
using SignalSharp;
using SignalSharp.Groups.Chains;
using SignalSharp.Groups.Protos;

namespace SignalSharp.Groups;

/// <summary>
/// Everything one device knows about one (sender, distribution id) pair: up to five sender chains, newest first.
/// A receiver keeps older chains so that late messages from before a rotation still decrypt; the sender's own
/// record holds the chain it encrypts with. Stores persist records through <see cref="Serialize"/> and
/// <see cref="Deserialize"/> (a SignalSharp-local format).
/// </summary>
public sealed class SenderKeyRecord : IDisposable
{
    /// <summary>How many chains a record keeps; adding a sixth drops the oldest.</summary>
    public const int MaxStates = 5;

    // Index 0 is the newest chain: the one the sender encrypts with.
    private readonly List<SenderKeyState> _states;

    /// <summary>Creates an empty record.</summary>
    public SenderKeyRecord()
        : this(new List<SenderKeyState>())
    {
    }

    private SenderKeyRecord(List<SenderKeyState> states) => _states = states;

    /// <summary>True when the record holds no chain.</summary>
    public bool IsEmpty => _states.Count == 0;

    /// <summary>How many chains the record holds.</summary>
    public int StateCount => _states.Count;

    /// <summary>
    /// True when the newest chain is the local device's own sending chain (it holds the signing private key), false
    /// for a chain received from another member.
    /// </summary>
    public bool IsOwnSendingChain => CurrentState?.SigningPrivateKey is not null;

    /// <summary>The newest chain, used for encryption.</summary>
    internal SenderKeyState? CurrentState => _states.Count > 0 ? _states[0] : null;

    /// <summary>Encodes the record for storage.</summary>
    /// <returns>A new array; it contains chain keys (and, in the sender's own record, a private key).</returns>
    public byte[] Serialize()
    {
        var data = new SenderKeyRecordData();
        foreach (var state in _states)
        {
            data.States.Add(state.ToData());
        }

        return data.ToByteArray();
    }

    /// <summary>Decodes a record written by <see cref="Serialize"/>.</summary>
    /// <param name="serialized">The stored bytes.</param>
    /// <returns>The record.</returns>
    /// <exception cref="SignalProtocolException">The bytes are not a valid record.</exception>
    public static SenderKeyRecord Deserialize(ReadOnlySpan<byte> serialized)
    {
        SenderKeyRecordData data;
        try
        {
            data = SenderKeyRecordData.Parser.ParseFrom(serialized);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new SignalProtocolException("sender key record is not valid protobuf", e);
        }

        if (data.States.Count > MaxStates)
        {
            throw new SignalProtocolException($"sender key record holds more than {MaxStates} states");
        }

        var states = new List<SenderKeyState>(data.States.Count);
        try
        {
            foreach (var stateData in data.States)
            {
                states.Add(SenderKeyState.FromData(stateData));
            }
        }
        catch
        {
            states.ForEach(s => s.Dispose());
            throw;
        }

        return new SenderKeyRecord(states);
    }

    /// <summary>The chain with this id, if the record holds it.</summary>
    internal SenderKeyState? FindState(uint chainId)
    {
        foreach (var state in _states)
        {
            if (state.ChainId == chainId)
            {
                return state;
            }
        }

        return null;
    }

    /// <summary>
    /// Adds a chain received in a distribution message. The same chain id with the same signing key is already
    /// known and is left untouched (re-processing a distribution message never rewinds or resets a chain); the
    /// same chain id with another signing key replaces the old chain. New chains go in front; beyond
    /// <see cref="MaxStates"/> the oldest is dropped.
    /// </summary>
    /// <returns>False when the chain was already known and nothing changed.</returns>
    internal bool AddState(byte messageVersion, uint chainId, uint iteration, ReadOnlySpan<byte> chainKey, EcPublicKey signingKey, EcPrivateKey? signingPrivateKey)
    {
        var existing = FindState(chainId);
        if (existing is not null)
        {
            if (existing.SigningPublicKey.Equals(signingKey))
            {
                return false;
            }

            _states.Remove(existing);
            existing.Dispose();
        }

        _states.Insert(0, new SenderKeyState(messageVersion, chainId, new SenderChainKey(iteration, chainKey), signingKey, signingPrivateKey));
        while (_states.Count > MaxStates)
        {
            _states[^1].Dispose();
            _states.RemoveAt(_states.Count - 1);
        }

        return true;
    }

    /// <summary>An independent deep copy (ciphers work on copies and store them only on success).</summary>
    internal SenderKeyRecord Clone()
    {
        var states = new List<SenderKeyState>(_states.Count);
        foreach (var state in _states)
        {
            states.Add(state.Clone());
        }

        return new SenderKeyRecord(states);
    }

    /// <summary>Wipes the chain keys, skipped seeds and signing private keys the record holds.</summary>
    public void Dispose()
    {
        foreach (var state in _states)
        {
            state.Dispose();
        }

        _states.Clear();
    }
}
