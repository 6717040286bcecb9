using System.Security.Cryptography;

namespace SignalSharp.Storage.Tests;

/// <summary>A database path in a fresh temp folder, deleted (with its -wal/-shm files) on dispose.</summary>
internal sealed class TempDatabase : IDisposable
{
    private readonly string _folder = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "signalsharp-storage-" + Guid.NewGuid().ToString("N"));

    public TempDatabase()
    {
        Directory.CreateDirectory(_folder);
        Path = System.IO.Path.Combine(_folder, "store.db");
    }

    public string Path { get; }

    /// <summary>Another path in the same folder (deleted with it).</summary>
    public string Sibling(string name) => System.IO.Path.Combine(_folder, name);

    /// <summary>A fresh random 32-byte storage key.</summary>
    public static byte[] NewKey() => RandomNumberGenerator.GetBytes(SqliteSignalProtocolStore.StorageKeySize);

    /// <summary>Every byte SQLite has written for <paramref name="path"/> (main file, WAL, shared memory).</summary>
    public static byte[] RawBytes(string path)
    {
        var all = new List<byte>();
        foreach (string file in new[] { path, path + "-wal", path + "-shm" })
        {
            if (File.Exists(file))
            {
                using var stream = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
                using var copy = new MemoryStream();
                stream.CopyTo(copy);
                all.AddRange(copy.ToArray());
            }
        }

        return [.. all];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a failed test; the temp folder is cleaned by the OS eventually.
        }
    }
}
