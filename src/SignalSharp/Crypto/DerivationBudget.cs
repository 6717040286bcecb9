namespace SignalSharp.Crypto;

/// <summary>
/// How many symmetric chain steps (Double Ratchet chain steps and SPQR chain steps) one incoming message may
/// cause before its MAC has been checked. A message is tried against several sessions, and each trial must
/// derive its chain position before the MAC can be verified; without a shared allowance a forgery with a
/// counter near the jump limit would pay the full walk once per archived session. Every walk asks for its
/// whole length before it starts, so refused work is never done.
/// </summary>
internal sealed class DerivationBudget
{
    /// <summary>
    /// The allowance of one incoming message: two worst-case trials (a 25,000-message Double Ratchet jump plus
    /// a 25,000-key SPQR jump each), so the current session can always take a full jump and older sessions share
    /// what it leaves.
    /// </summary>
    public const long PerMessage = 2 * ((25_000 + 1) + 25_000);

    public DerivationBudget(long allowance)
    {
        Remaining = allowance;
    }

    /// <summary>Steps still allowed.</summary>
    public long Remaining { get; private set; }

    /// <summary>Steps taken so far (for tests and diagnostics).</summary>
    public long Spent { get; private set; }

    /// <summary>Refuses the message, without taking anything, when <paramref name="steps"/> exceed what is left.</summary>
    /// <exception cref="InvalidMessageException">The steps exceed the allowance left for this message.</exception>
    public void EnsureLeft(long steps)
    {
        if (steps > Remaining)
        {
            throw Exceeded(steps);
        }
    }

    /// <summary>Takes <paramref name="steps"/> steps, or refuses the message when they exceed what is left.</summary>
    /// <exception cref="InvalidMessageException">The steps exceed the allowance left for this message.</exception>
    public void Take(long steps)
    {
        EnsureLeft(steps);
        Remaining -= steps;
        Spent += steps;
    }

    private InvalidMessageException Exceeded(long steps)
        => new($"message needs {steps} key derivations, more than the {Remaining} left for it");
}
