using SignalSharp.Crypto;
using Xunit;

namespace SignalSharp.Tests.Crypto;

/// <summary>The per-message allowance of key derivations before a MAC check (the forged-message cost bound).</summary>
public class DerivationBudgetTests
{
    [Fact]
    public void APerMessageBudgetCoversTwoFullDoubleRatchetAndSpqrJumps()
    {
        Assert.Equal(2 * (25_001 + 25_000), DerivationBudget.PerMessage);
    }

    [Fact]
    public void StepsUpToExactlyWhatIsLeftAreTakenAndOneMoreIsRefusedWithoutTakingAnything()
    {
        var budget = new DerivationBudget(10);
        budget.EnsureLeft(10);
        budget.Take(4);
        Assert.Equal(6, budget.Remaining);
        Assert.Equal(4, budget.Spent);

        var error = Assert.Throws<InvalidMessageException>(() => budget.Take(7));
        Assert.Contains("7", error.Message);
        Assert.Throws<InvalidMessageException>(() => budget.EnsureLeft(7));
        Assert.Equal(6, budget.Remaining);
        Assert.Equal(4, budget.Spent);

        budget.Take(6);
        Assert.Equal(0, budget.Remaining);
        Assert.Equal(10, budget.Spent);
        budget.Take(0);
        Assert.Throws<InvalidMessageException>(() => budget.EnsureLeft(1));
    }
}
