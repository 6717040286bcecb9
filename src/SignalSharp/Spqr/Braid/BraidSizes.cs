namespace SignalSharp.Spqr.Braid;

/// <summary>Byte sizes of the ML-KEM-768 pieces the braid moves (wire facts §6.6, §6.8).</summary>
internal static class BraidSizes
{
    /// <summary>Full encapsulation key.</summary>
    internal const int EncapsulationKey = 1184;

    /// <summary>Decapsulation key (standard FIPS 203 layout).</summary>
    internal const int DecapsulationKey = 2400;

    /// <summary>Encapsulation key without its trailing ρ: the "ek" payload.</summary>
    internal const int EncapsulationKeyVector = 1152;

    /// <summary>ρ ‖ SHA3-256(ek).</summary>
    internal const int Header = 64;

    /// <summary>A full-length HMAC-SHA256 tag.</summary>
    internal const int Mac = 32;

    /// <summary>Compressed u.</summary>
    internal const int Ct1 = 960;

    /// <summary>Compressed v.</summary>
    internal const int Ct2 = 128;

    /// <summary>ML-KEM shared secret and the encapsulation randomness m.</summary>
    internal const int Secret = 32;

    /// <summary>Header ‖ header MAC: 3 chunks.</summary>
    internal const int HeaderPayload = Header + Mac;

    /// <summary>ct2 ‖ ciphertext MAC: 5 chunks.</summary>
    internal const int Ct2Payload = Ct2 + Mac;
}
