using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp;

/// <summary>
/// Decrypts a <see cref="SignalMessage"/> against a record (Sesame): the current session, then the archived ones,
/// newest first; the one that decrypts becomes current. An unauthenticated message decides how much work each
/// trial costs, so the trials are bounded:
/// <list type="bullet">
/// <item>when some session has a receiving chain under the message's ratchet key, only such sessions are tried
/// (ratchet keys are fresh per chain, so no other session can authenticate the message);</item>
/// <item>all trials share one <see cref="DerivationBudget"/> of chain steps, taken before each walk, so a
/// forgery with a far-ahead counter costs at most two full jumps however many sessions are archived.</item>
/// </list>
/// </summary>
internal static class SessionTrialDecryption
{
    /// <summary>Decrypts <paramref name="message"/> in the session of <paramref name="record"/> it belongs to and promotes that session.</summary>
    /// <exception cref="DuplicateMessageException">The message was already decrypted.</exception>
    /// <exception cref="InvalidMessageException">No session decrypts the message within the budget.</exception>
    public static (byte[] Plaintext, SessionState State) Decrypt(
        SessionRecord record,
        SignalMessage message,
        ProtocolAddress local,
        ProtocolAddress remote,
        RandomSource random,
        DerivationBudget budget)
    {
        bool chainKnown = record.Current?.HasReceiverChain(message.RatchetKey) == true;
        for (int i = 0; !chainKnown && i < record.Archived.Count; i++)
        {
            chainKnown = record.Archived[i].HasReceiverChain(message.RatchetKey);
        }

        InvalidMessageException? firstFailure = null;
        if (record.Current is { } current && (!chainKnown || current.HasReceiverChain(message.RatchetKey)))
        {
            var state = current.Clone();
            try
            {
                var plaintext = SessionRatchet.Decrypt(state, message, local, remote, random, budget);
                record.SetCurrentState(state);
                return (plaintext, state);
            }
            catch (InvalidMessageException e) when (e is not DuplicateMessageException)
            {
                firstFailure = e;
            }
        }

        for (int i = 0; i < record.Archived.Count; i++)
        {
            if (chainKnown && !record.Archived[i].HasReceiverChain(message.RatchetKey))
            {
                continue;
            }

            var state = record.Archived[i].Clone();
            try
            {
                var plaintext = SessionRatchet.Decrypt(state, message, local, remote, random, budget);
                record.PromoteArchived(i, state);
                return (plaintext, state);
            }
            catch (InvalidMessageException e) when (e is not DuplicateMessageException)
            {
                firstFailure ??= e;
            }
        }

        throw firstFailure is null
            ? new InvalidMessageException("decryption failed")
            : new InvalidMessageException("decryption failed", firstFailure);
    }
}
