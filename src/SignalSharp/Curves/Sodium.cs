using System.Runtime.InteropServices;

namespace SignalSharp.Curves;

/// <summary>
/// P/Invoke declarations for the constant-time curve primitives of the native libsodium library
/// (NuGet package <c>libsodium</c>). Only functions whose secret-dependent paths are constant time in
/// libsodium are used with secrets: X25519, fixed-base Ed25519 multiplication and scalar arithmetic mod ℓ.
/// </summary>
internal static unsafe partial class Sodium
{
    private const string Library = "libsodium";

    /// <summary>Size of libsodium's <c>crypto_hash_sha512_state</c> (8 + 2 + 16 unsigned 64-bit words).</summary>
    internal const int Sha512StateWords = 26;

    private static readonly object InitGate = new();
    private static volatile bool s_initialized;

    /// <summary>
    /// Loads libsodium and runs sodium_init (which picks the fastest implementations for this CPU) on first
    /// use; one volatile read afterwards. A missing library becomes a typed error at the first key operation
    /// instead of a TypeInitializationException that would poison the type for the life of the process.
    /// </summary>
    /// <exception cref="NativeCryptoUnavailableException">libsodium is not available on this runtime.</exception>
    internal static void EnsureInitialized()
    {
        if (!s_initialized)
        {
            Initialize();
        }
    }

    private static void Initialize()
    {
        lock (InitGate)
        {
            if (s_initialized)
            {
                return;
            }

            int rc;
            try
            {
                rc = sodium_init();
            }
            catch (DllNotFoundException e)
            {
                throw new NativeCryptoUnavailableException(Library, e);
            }
            catch (EntryPointNotFoundException e)
            {
                throw new NativeCryptoUnavailableException(Library, e);
            }

            // 1 = already initialised by someone else in this process; both are fine.
            if (rc < 0)
            {
                throw new NativeCryptoUnavailableException(Library, new InvalidOperationException("sodium_init failed"));
            }

            if (crypto_hash_sha512_statebytes() > Sha512StateWords * sizeof(ulong))
            {
                throw new NativeCryptoUnavailableException(Library, new InvalidOperationException("unexpected libsodium SHA-512 state size (a different libsodium build?)"));
            }

            s_initialized = true;
        }
    }

    [LibraryImport(Library)]
    private static partial int sodium_init();

    [LibraryImport(Library)]
    private static partial nuint crypto_hash_sha512_statebytes();

    /// <summary>X25519(n, p) into q; −1 when the result is all zero (small-order input).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult(byte* q, byte* n, byte* p);

    /// <summary>X25519(n, 9) into q (n is clamped internally).</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_base(byte* q, byte* n);

    /// <summary>Compressed Edwards point n·B (n &lt; 2^255, not clamped); −1 when the result is the identity.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_scalarmult_ed25519_base_noclamp(byte* q, byte* n);

    /// <summary>r = s mod ℓ for a 64-byte little-endian s.</summary>
    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_reduce(byte* r, byte* s);

    /// <summary>z = x·y mod ℓ.</summary>
    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_mul(byte* z, byte* x, byte* y);

    /// <summary>z = x + y mod ℓ.</summary>
    [LibraryImport(Library)]
    internal static partial void crypto_core_ed25519_scalar_add(byte* z, byte* x, byte* y);

    /// <summary>1 when p is a canonical encoding of a point on the curve, not of small order, in the prime-order subgroup.</summary>
    [LibraryImport(Library)]
    internal static partial int crypto_core_ed25519_is_valid_point(byte* p);

    [LibraryImport(Library)]
    internal static partial int crypto_hash_sha512_init(void* state);

    [LibraryImport(Library)]
    internal static partial int crypto_hash_sha512_update(void* state, byte* input, ulong length);

    [LibraryImport(Library)]
    internal static partial int crypto_hash_sha512_final(void* state, byte* output);
}
