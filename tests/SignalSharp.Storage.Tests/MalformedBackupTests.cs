using SignalSharp;
using SignalSharp.Storage.Backup;
using SignalSharp.Storage.Codec;
using Xunit;

namespace SignalSharp.Storage.Tests;

/// <summary>
/// Backups that authenticate (sealed here with a known key) but whose content is malformed: every one must fail with
/// <see cref="InvalidBackupException"/> and leave no database behind, never with another exception type.
/// </summary>
public sealed class MalformedBackupTests : IDisposable
{
    private static readonly byte[] BackupKey = Enumerable.Range(0, 32).Select(i => (byte)i).ToArray();
    private readonly TempDatabase _db = new();
    private int _imports;

    public void Dispose() => _db.Dispose();

    public static TheoryData<string> Cases => new()
    {
        "empty", "no-local", "two-locals", "unknown-kind", "short-entry", "overlong-length", "trailing-byte",
        "bad-identity-pair", "bad-session", "device-zero", "empty-name", "bad-utf8-name", "kyber-flag-2",
        "kyber-flag-disagrees", "duplicate-prekey", "bad-base-key",
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task MalformedContentIsAnInvalidBackup(string name)
    {
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
        using var oneTimeKyber = KeyHelper.GenerateKyberPreKeys(identity, 2, 1, 1)[0];
        byte[] local = Entry(1, w =>
        {
            w.U32(5);
            w.Bytes(identity.Serialize());
        });
        byte[] preKey = Entry(4, w =>
        {
            w.U32(1);
            w.Bytes(pre.Serialize());
        });
        byte[] plaintext = name switch
        {
            "empty" => [],
            "no-local" => preKey,
            "two-locals" => [.. local, .. local],
            "unknown-kind" => [.. local, .. Entry(99, w => w.U32(1))],
            "short-entry" => [.. local, 4, 0, 0],
            "overlong-length" => [.. local, 4, 0, 0, 1, 0, 1, 2, 3],
            "trailing-byte" => [.. local, .. Entry(4, w =>
            {
                w.U32(1);
                w.Bytes(pre.Serialize());
                w.U8(0);
            })],
            "bad-identity-pair" => Entry(1, w =>
            {
                w.U32(5);
                w.Bytes([1, 2, 3]);
            }),
            "bad-session" => [.. local, .. Entry(3, w =>
            {
                w.String("bob");
                w.I32(1);
                w.Bytes([0xFF, 0xFF]);
            })],
            "device-zero" => [.. local, .. Entry(2, w =>
            {
                w.String("bob");
                w.Bytes(identity.IdentityKey.Serialize());
            }), .. Entry(8, w =>
            {
                w.String("bob");
                w.I32(0);
                w.Raw(new byte[16]);
                w.Bytes([]);
            })],
            "empty-name" => [.. local, .. Entry(2, w =>
            {
                w.String(string.Empty);
                w.Bytes(identity.IdentityKey.Serialize());
            })],
            "bad-utf8-name" => [.. local, .. Entry(2, w =>
            {
                w.Bytes([0xC3, 0x28]);
                w.Bytes(identity.IdentityKey.Serialize());
            })],
            "kyber-flag-2" => [.. local, .. Entry(6, w =>
            {
                w.U32(2);
                w.U8(2);
                w.Bytes(oneTimeKyber.Serialize());
            })],
            "kyber-flag-disagrees" => [.. local, .. Entry(6, w =>
            {
                w.U32(2);
                w.U8(1);
                w.Bytes(oneTimeKyber.Serialize());
            })],
            "duplicate-prekey" => [.. local, .. preKey, .. preKey],
            "bad-base-key" => [.. local, .. Entry(7, w =>
            {
                w.U32(2);
                w.U32(1);
                w.Bytes([5, 1, 2]);
            })],
            _ => throw new ArgumentOutOfRangeException(nameof(name)),
        };

        await AssertRejectedAsync(plaintext);
    }

    [Fact]
    public async Task WellFormedHandMadeBackupImports()
    {
        // The positive control for the cases above: the same encoding, valid, imports.
        using var identity = KeyHelper.GenerateIdentityKeyPair();
        using var pre = KeyHelper.GeneratePreKeys(1, 1)[0];
        byte[] plaintext =
        [
            .. Entry(1, w =>
            {
                w.U32(5);
                w.Bytes(identity.Serialize());
            }),
            .. Entry(4, w =>
            {
                w.U32(1);
                w.Bytes(pre.Serialize());
            }),
        ];
        using var secret = BackupSecret.FromKey(BackupKey);
        using var store = await SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(BackupFile.Seal(plaintext, secret)), secret, _db.Sibling("ok.db"), TempDatabase.NewKey());
        Assert.Equal(5u, await store.GetLocalRegistrationIdAsync());
        using var loaded = await store.LoadPreKeyAsync(1);
        Assert.Equal(pre.Serialize(), loaded!.Serialize());
    }

    private static byte[] Entry(byte kind, Action<FieldWriter> body)
    {
        using var inner = new FieldWriter();
        body(inner);
        using var outer = new FieldWriter();
        outer.U8(kind);
        outer.Bytes(inner.Written);
        return outer.ToArray();
    }

    private async Task AssertRejectedAsync(byte[] plaintext)
    {
        using var secret = BackupSecret.FromKey(BackupKey);
        byte[] file = BackupFile.Seal(plaintext, secret);
        string path = _db.Sibling($"import{_imports++}.db");
        await Assert.ThrowsAsync<InvalidBackupException>(() => SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(file), secret, path, TempDatabase.NewKey()));
        Assert.False(File.Exists(path), "a failed import left a database behind");
    }
}
