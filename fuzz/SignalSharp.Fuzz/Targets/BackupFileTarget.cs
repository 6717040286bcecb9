namespace SignalSharp.Fuzz.Targets;

/// <summary>A backup file as given to <c>ImportBackupAsync</c> (header, key derivation choice, authentication).</summary>
public sealed class BackupFileTarget : FuzzTarget
{
    public override string Name => "backup-file";

    public override void Run(ReadOnlySpan<byte> input) => BackupFormat.Import(input);

    public override IEnumerable<byte[]> Seeds(FuzzWorld world) => [BackupFormat.ExportBobBackup(world)];
}
