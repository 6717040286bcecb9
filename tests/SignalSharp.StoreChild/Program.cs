using System.Text;
using SignalSharp;
using SignalSharp.Storage;
using SignalSharp.Storage.Backup;

// Modes (the storage key is hex; the local address is "alice".1, the peer "bob".1):
//   converse <db> <key>                 lines on stdin: "S <seq>" -> "C <seq> <type> <base64>";
//                                       "R <seq> <type> <base64>" -> "A <seq> OK <text>" | "A <seq> DUP" | "A <seq> ERR <type> <message>"
//   encrypt <db> <key> <count> <tag>    prints "READY", waits for a line, then encrypts <count> messages "<tag> <i>" and
//                                       prints "C <i> <type> <base64>" for each
//   export <db> <key> <file> <backupKeyHex>   writes a backup to <file>, prints "DONE"
//   import <file> <backupKeyHex> <db> <key>   restores a backup into the new <db>, prints "DONE"
var local = new ProtocolAddress("alice", 1);
var peer = new ProtocolAddress("bob", 1);
switch (args[0])
{
    case "converse":
    {
        using var store = SqliteSignalProtocolStore.Open(args[1], Convert.FromHexString(args[2]));
        var cipher = new SessionCipher(store, local, peer);
        Console.WriteLine("READY");
        while (Console.ReadLine() is { } line)
        {
            string[] parts = line.Split(' ');
            if (parts[0] == "S")
            {
                var message = await cipher.EncryptAsync(Encoding.UTF8.GetBytes("m" + parts[1]));
                Console.WriteLine($"C {parts[1]} {(int)message.Type} {Convert.ToBase64String(message.Serialize())}");
            }
            else
            {
                Console.WriteLine($"A {parts[1]} {await DecryptAsync(cipher, int.Parse(parts[2]), Convert.FromBase64String(parts[3]))}");
            }
        }

        break;
    }

    case "encrypt":
    {
        using var store = SqliteSignalProtocolStore.Open(args[1], Convert.FromHexString(args[2]));
        var cipher = new SessionCipher(store, local, peer);
        int count = int.Parse(args[3]);

        // Start together with the other process: the test waits for both to be ready, then says go.
        Console.WriteLine("READY");
        _ = Console.ReadLine();
        for (int i = 0; i < count; i++)
        {
            var message = await cipher.EncryptAsync(Encoding.UTF8.GetBytes($"{args[4]} {i}"));
            Console.WriteLine($"C {i} {(int)message.Type} {Convert.ToBase64String(message.Serialize())}");
        }

        break;
    }

    case "export":
    {
        using var store = SqliteSignalProtocolStore.Open(args[1], Convert.FromHexString(args[2]));
        using var secret = BackupSecret.FromKey(Convert.FromHexString(args[4]));
        await using (var file = new FileStream(args[3], FileMode.Create, FileAccess.Write))
        {
            await store.ExportBackupAsync(file, secret);
        }

        Console.WriteLine("DONE");
        break;
    }

    case "import":
    {
        using var secret = BackupSecret.FromKey(Convert.FromHexString(args[2]));
        await using var file = File.OpenRead(args[1]);
        using var store = await SqliteSignalProtocolStore.ImportBackupAsync(file, secret, args[3], Convert.FromHexString(args[4]));
        Console.WriteLine("DONE");
        break;
    }

    default:
        Console.Error.WriteLine("unknown mode " + args[0]);
        return 2;
}

return 0;

static async Task<string> DecryptAsync(SessionCipher cipher, int type, byte[] body)
{
    try
    {
        byte[] plaintext = type == (int)CiphertextMessageType.PreKey
            ? await cipher.DecryptAsync(PreKeySignalMessage.Deserialize(body))
            : await cipher.DecryptAsync(SignalMessage.Deserialize(body));
        return "OK " + Encoding.UTF8.GetString(plaintext);
    }
    catch (DuplicateMessageException)
    {
        return "DUP";
    }
    catch (SignalProtocolException e)
    {
        return $"ERR {e.GetType().Name} {e.Message.ReplaceLineEndings(" ")}";
    }
}
