namespace SignalSharp.Spqr.Braid;

/// <summary>What a braid send produced: the next state, the payload to put on the wire, maybe an epoch secret.</summary>
internal readonly record struct BraidSendOutcome(BraidState State, SpqrMessageType Type, SpqrChunk? Chunk, EpochSecret? Secret);

/// <summary>What a braid receive produced: the next state and maybe an epoch secret.</summary>
internal readonly record struct BraidReceiveOutcome(BraidState State, EpochSecret? Secret);
