namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// A backup's decrypted content (the record entries): the input is sealed with the fuzz key and imported, so the
/// fuzzer mutates what an attacker who knows the backup secret could write.
/// </summary>
public sealed class BackupEntriesTarget : FuzzTarget
{
    public override string Name => "backup-entries";

    public override void Run(ReadOnlySpan<byte> input) => BackupFormat.Import(BackupFormat.Seal(input));

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [BackupFormat.Open(BackupFormat.ExportBobBackup(world))];
}
