
namespace SignalSharp.Fuzz;

/// <summary>
/// One entry point that takes untrusted bytes. A target runs the input through the library and lets every exception
/// escape: the harness treats the library's typed errors (<see cref="SignalProtocolException"/> and its subclasses) as
/// the expected rejection, and anything else as a finding. Adding a parser to the fuzz set is one file deriving from
/// this class (targets are discovered by reflection, <see cref="FuzzTargets"/>).
/// </summary>
public abstract class FuzzTarget
{
    /// <summary>The name used on the command line and as the folder of the target's seeds and regression inputs.</summary>
    public abstract string Name { get; }

    /// <summary>Feeds one input to the code under test.</summary>
    public abstract void Run(ReadOnlySpan<byte> input);

    /// <summary>Real inputs the corpus starts from, made from <paramref name="world"/>.</summary>
    public abstract IEnumerable<byte[]> Seeds(FuzzWorld world);

    /// <summary>
    /// Runs the input and swallows only the typed rejection; returns false when the input was rejected.
    /// Any other exception propagates, which AFL records as a crash and the replay test as a failure.
    /// </summary>
    public bool Execute(ReadOnlySpan<byte> input)
    {
        try
        {
            Run(input);
            return true;
        }
        catch (SignalProtocolException)
        {
            return false;
        }
    }
}
