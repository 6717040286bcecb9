using System.Diagnostics;
using SignalSharp.Crypto;
using SignalSharp.Sessions;

namespace SignalSharp.Spqr.Braid;

/// <summary>
/// One state of the ML-KEM braid for one epoch (wire facts §6.6). States are immutable: Send and Receive
/// return the successor. Messages of earlier epochs are ignored by the braid (their keys still come from
/// the chain); messages of later epochs are errors except where a state says otherwise.
/// </summary>
internal abstract class BraidState
{
    protected BraidState(ulong epoch, SpqrAuthenticator authenticator)
    {
        Epoch = epoch;
        Authenticator = authenticator;
    }

    /// <summary>The braid epoch; messages sent in this state carry it.</summary>
    internal ulong Epoch { get; }

    /// <summary>The authenticator as of this state.</summary>
    internal SpqrAuthenticator Authenticator { get; }

    /// <summary>The ML-KEM decapsulation key this state holds, if any (secret).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal virtual byte[]? SecretDecapsulationKey => null;

    /// <summary>The encapsulation randomness m this state holds, if any (secret until ct1 and ct2 are sent).</summary>
    [DebuggerBrowsable(DebuggerBrowsableState.Never)]
    internal virtual byte[]? SecretM => null;

    /// <summary>Adds the authenticator keys, the decapsulation key and m (whichever this state holds) to <paramref name="into"/>.</summary>
    internal void VisitSecrets(ref SecretBin into)
    {
        into.Add(Authenticator.RootArray);
        into.Add(Authenticator.MacArray);
        into.Add(SecretDecapsulationKey);
        into.Add(SecretM);
    }

    /// <summary>Adds the secret arrays of <paramref name="old"/> that <paramref name="next"/> does not hold (at most four each side).</summary>
    internal static void CollectReplaced(BraidState old, BraidState next, ref SecretBin into)
    {
        if (ReferenceEquals(old, next))
        {
            return;
        }

        AddUnlessHeld(old.Authenticator.RootArray, next, ref into);
        AddUnlessHeld(old.Authenticator.MacArray, next, ref into);
        AddUnlessHeld(old.SecretDecapsulationKey, next, ref into);
        AddUnlessHeld(old.SecretM, next, ref into);
    }

    private static void AddUnlessHeld(byte[]? secret, BraidState next, ref SecretBin into)
    {
        if (secret is not null
            && !ReferenceEquals(secret, next.Authenticator.RootArray)
            && !ReferenceEquals(secret, next.Authenticator.MacArray)
            && !ReferenceEquals(secret, next.SecretDecapsulationKey)
            && !ReferenceEquals(secret, next.SecretM))
        {
            into.Add(secret);
        }
    }

    /// <summary>Which of the eleven states this is.</summary>
    internal abstract BraidStateKind Kind { get; }

    /// <summary>Produces the payload of the next outgoing message.</summary>
    internal abstract BraidSendOutcome Send(RandomSource random);

    /// <summary>Absorbs the payload of an incoming message.</summary>
    /// <exception cref="InvalidMessageException">The epoch is out of range or the payload fails a check.</exception>
    internal BraidReceiveOutcome Receive(SpqrMessage message)
    {
        if (message.Epoch < Epoch)
        {
            return Unchanged;
        }

        if (message.Epoch > Epoch)
        {
            return ReceiveLaterEpoch(message);
        }

        return ReceiveCurrentEpoch(message);
    }

    /// <summary>The outcome that keeps this state.</summary>
    protected BraidReceiveOutcome Unchanged => new(this, null);

    /// <summary>Handles a message of this state's epoch.</summary>
    protected abstract BraidReceiveOutcome ReceiveCurrentEpoch(SpqrMessage message);

    /// <summary>Handles a message from a later epoch: an error unless overridden.</summary>
    protected virtual BraidReceiveOutcome ReceiveLaterEpoch(SpqrMessage message)
        => throw new InvalidMessageException($"SPQR message epoch {message.Epoch} is ahead of braid epoch {Epoch}");

    /// <summary>A send outcome carrying <paramref name="chunk"/> of type <paramref name="type"/>.</summary>
    protected static BraidSendOutcome Sent(BraidState next, SpqrMessageType type, SpqrChunk? chunk, EpochSecret? secret = null)
        => new(next, type, chunk, secret);
}
