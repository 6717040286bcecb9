namespace SignalSharp.Timing;

/// <summary>
/// One operation measured with two classes of secret input: class 0 is one fixed value, class 1 fresh random values.
/// Both classes draw from pools of the same size (the fixed pool holds copies of one value), so neither class is
/// favoured by cache residency; all inputs are prepared before timing starts.
/// </summary>
internal abstract class TimingCase
{
    public const int PoolSize = 256;

    public abstract string Name { get; }

    /// <summary>What the secret is and what each class holds, for the report.</summary>
    public abstract string Classes { get; }

    /// <summary>Calls per timed sample: more than one for operations close to the timer's resolution.</summary>
    public virtual int Batch => 1;

    /// <summary>Fills the pools (a deterministic seed, so reruns measure the same inputs).</summary>
    public abstract void Prepare(Random random);

    /// <summary>Runs the operation on input <paramref name="index"/> of class <paramref name="cls"/>.</summary>
    public abstract void Run(int cls, int index);
}
