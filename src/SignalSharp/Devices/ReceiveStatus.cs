namespace SignalSharp.Devices;

/// <summary>What became of one message of a batch.</summary>
public enum ReceiveStatus
{
    /// <summary>Decrypted; its session change is committed. Process the plaintext, then acknowledge.</summary>
    Decrypted,

    /// <summary>Already decrypted before (a redelivery); nothing changed. Acknowledge it.</summary>
    Duplicate,

    /// <summary>Could not be decrypted (see <see cref="ReceiveErrorKind"/>); nothing was committed for it.</summary>
    Failed,

    /// <summary>Not attempted because the batch was cancelled; nothing was committed. Do not acknowledge it.</summary>
    Skipped,
}
