using System.Buffers.Binary;
using System.Security.Cryptography;
using SignalSharp;
using SignalSharp.Groups;
using SignalSharp.Storage;

namespace SignalSharp.Fuzz;

/// <summary>
/// The documented backup container (docs/storage.md) for a raw key, written here from the format description so the
/// fuzzer can reach the entry parser behind the file's authentication: a mutated plaintext is sealed and then imported.
/// </summary>
public static class BackupFormat
{
    private const int HeaderSize = 38;
    private const int TagSize = 16;
    private static readonly byte[] Info = "SignalSharp.Storage.v1 backup"u8.ToArray();

    public static readonly byte[] Key = Enumerable.Range(0, 32).Select(i => (byte)(0xB0 + i)).ToArray();
    public static readonly byte[] StorageKey = Enumerable.Range(0, 32).Select(i => (byte)(0x50 + i)).ToArray();

    public static byte[] Seal(ReadOnlySpan<byte> entries)
    {
        var file = new byte[HeaderSize + entries.Length + TagSize];
        var header = file.AsSpan(0, HeaderSize);
        "SSBK"u8.CopyTo(header);
        header[4] = 1;
        header[5] = 1;
        BinaryPrimitives.WriteUInt32BigEndian(header[6..], 0);
        for (int i = 10; i < HeaderSize; i++)
        {
            header[i] = (byte)i;
        }

        using var aes = Cipher(header.Slice(10, 16));
        aes.Encrypt(header.Slice(26, 12), entries, file.AsSpan(HeaderSize, entries.Length), file.AsSpan(HeaderSize + entries.Length), header);
        return file;
    }

    public static byte[] Open(ReadOnlySpan<byte> file)
    {
        var header = file[..HeaderSize];
        var plaintext = new byte[file.Length - HeaderSize - TagSize];
        using var aes = Cipher(header.Slice(10, 16));
        aes.Decrypt(header.Slice(26, 12), file.Slice(HeaderSize, plaintext.Length), file[^TagSize..], plaintext, header);
        return plaintext;
    }

    /// <summary>Imports <paramref name="file"/> into a new database in a per-process scratch folder, then removes it.</summary>
    public static void Import(ReadOnlySpan<byte> file)
    {
        string path = ScratchPath("import.db");
        try
        {
            using var secret = BackupSecret.FromKey(Key);
            using var store = Sync.Wait(SqliteSignalProtocolStore.ImportBackupAsync(new MemoryStream(file.ToArray()), secret, path, StorageKey));
            _ = Sync.Wait(store.LoadSessionAsync(FuzzWorld.Alice));
            _ = Sync.Wait(store.LoadSenderKeyAsync(FuzzWorld.Alice, FuzzWorld.DistributionId));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(path + suffix);
            }
        }
    }

    /// <summary>A real backup of Bob's device (identity, pre-keys, session with Alice, Alice's sender key).</summary>
    public static byte[] ExportBobBackup(FuzzWorld world)
    {
        string path = ScratchPath("export.db");
        try
        {
            using (var store = SqliteSignalProtocolStore.Create(path, StorageKey, world.BobIdentity, world.BobRegistrationId))
            {
                foreach (var bytes in world.BobPreKeyRecords)
                {
                    var p = PreKeyRecord.Deserialize(bytes);
                    Sync.Wait(store.StorePreKeyAsync(p.Id, p));
                }

                Sync.Wait(store.StoreSignedPreKeyAsync(1, SignedPreKeyRecord.Deserialize(world.BobSignedPreKeyRecord)));
                Sync.Wait(store.StoreKyberPreKeyAsync(1, KyberPreKeyRecord.Deserialize(world.BobKyberPreKeyRecord)));
                Sync.Wait(store.SaveIdentityAsync(FuzzWorld.Alice, world.AliceIdentity.IdentityKey));
                Sync.Wait(store.StoreSessionAsync(FuzzWorld.Alice, SessionRecord.Deserialize(world.BobSessionRecord)));
                Sync.Wait(store.StoreSenderKeyAsync(FuzzWorld.Alice, FuzzWorld.DistributionId, SenderKeyRecord.Deserialize(world.BobSenderKeyRecord)));
                using var secret = BackupSecret.FromKey(Key);
                using var file = new MemoryStream();
                store.ExportBackupAsync(file, secret).GetAwaiter().GetResult();
                return file.ToArray();
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var suffix in new[] { "", "-wal", "-shm", "-journal" })
            {
                File.Delete(path + suffix);
            }
        }
    }

    private static string ScratchPath(string name)
    {
        string dir = Path.Combine(Path.GetTempPath(), $"signalsharp-fuzz-{Environment.ProcessId}");
        Directory.CreateDirectory(dir);
        return Path.Combine(dir, name);
    }

    private static AesGcm Cipher(ReadOnlySpan<byte> salt)
    {
        Span<byte> fileKey = stackalloc byte[32];
        HKDF.DeriveKey(HashAlgorithmName.SHA256, Key, fileKey, salt, Info);
        return new AesGcm(fileKey, TagSize);
    }
}
