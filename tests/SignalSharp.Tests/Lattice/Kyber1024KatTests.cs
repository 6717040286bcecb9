using SignalSharp.Lattice;
using SignalSharp.TestSupport;
using Xunit;

namespace SignalSharp.Tests.Lattice;

/// <summary>
/// Kyber1024 against the NIST round-3 known-answer file PQCkemKAT_3168.rsp (CRYSTALS-Kyber submission, as
/// shipped in npm crystals-kyber 5.1.0 under tests/node). Each entry is replayed from its DRBG seed: the
/// generator draws d, then z, then the encapsulation coins, 32 bytes each.
/// </summary>
public class Kyber1024KatTests
{
    [Fact]
    public void FirstTwentyKatEntriesReproduceKeysCiphertextAndSecret()
    {
        var entries = ReadKat(Path.Combine(RepoPaths.NodeFolder, "node_modules", "crystals-kyber", "PQCkemKAT_3168.rsp"), 20);
        Assert.Equal(20, entries.Count);
        foreach (var entry in entries)
        {
            using var drbg = new NistCtrDrbg(entry["seed"]);
            byte[] d = drbg.Generate(32), z = drbg.Generate(32), coins = drbg.Generate(32);

            var pk = new byte[Kyber1024.EncapsulationKeySize];
            var sk = new byte[Kyber1024.DecapsulationKeySize];
            Kyber1024.GenerateKeyPair(d, z, pk, sk);
            Assert.Equal(entry["pk"], pk);
            Assert.Equal(entry["sk"], sk);

            var ct = new byte[Kyber1024.CiphertextSize];
            var ss = new byte[32];
            Kyber1024.Encapsulate(pk, coins, ct, ss);
            Assert.Equal(entry["ct"], ct);
            Assert.Equal(entry["ss"], ss);

            var decapsulated = new byte[32];
            Kyber1024.Decapsulate(sk, ct, decapsulated);
            Assert.Equal(entry["ss"], decapsulated);
        }
    }

    internal static List<Dictionary<string, byte[]>> ReadKat(string path, int count)
    {
        var entries = new List<Dictionary<string, byte[]>>();
        Dictionary<string, byte[]>? current = null;
        foreach (string line in File.ReadLines(path))
        {
            int equals = line.IndexOf(" = ", StringComparison.Ordinal);
            if (equals < 0)
            {
                continue;
            }

            string name = line[..equals];
            string value = line[(equals + 3)..].Trim();
            if (name == "count")
            {
                if (entries.Count == count)
                {
                    break;
                }

                current = new Dictionary<string, byte[]>();
                entries.Add(current);
            }
            else if (current is not null)
            {
                current[name] = Convert.FromHexString(value);
            }
        }

        return entries;
    }
}
