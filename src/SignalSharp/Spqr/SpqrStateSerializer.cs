using System.Buffers.Binary;
using System.Collections.Immutable;
using Google.Protobuf;
using SignalSharp.Spqr.Braid;
using SignalSharp.Wire;
using SignalSharp.Wire.Protos;

namespace SignalSharp.Spqr;

/// <summary>
/// Reads and writes <see cref="SpqrState"/> in SignalSharp's local format (protobuf <c>SpqrStateRecord</c>,
/// format version 1). Reading validates every size and invariant, so a stored state that was corrupted
/// fails with <see cref="InvalidMessageException"/> instead of misbehaving later.
/// </summary>
internal static class SpqrStateSerializer
{
    private const uint FormatVersion = 1;
    private const int SkippedEntrySize = 4 + DirectionalChain.KeySize;
    private const int ChunkEntrySize = 2 + SpqrChunk.DataSize;

    /// <summary>Encodes a state.</summary>
    internal static byte[] Serialize(SpqrState state)
    {
        var record = new SpqrStateRecord
        {
            FormatVersion = FormatVersion,
            Direction = state.Direction == SpqrDirection.A2B ? 0u : 1u,
            Chain = WriteChain(state.Chain),
            Braid = WriteBraid(state.Braid),
        };
        try
        {
            return record.ToByteArray();
        }
        finally
        {
            // The structure's copies of the keys are dropped here: wipe them (the returned bytes are the caller's).
            ProtoWipe.Wipe(record);
        }
    }

    /// <summary>Decodes and validates a state.</summary>
    /// <exception cref="InvalidMessageException">The bytes are not a valid state.</exception>
    internal static SpqrState Deserialize(ReadOnlySpan<byte> serialized)
    {
        SpqrStateRecord record;
        try
        {
            record = SpqrStateRecord.Parser.ParseFrom(serialized);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new InvalidMessageException("SPQR state is not a valid record", e);
        }

        try
        {
            return Read(record);
        }
        finally
        {
            // The state took copies of every field: the parsed structure's own are wiped.
            ProtoWipe.Wipe(record);
        }
    }

    private static SpqrState Read(SpqrStateRecord record)
    {
        if (!record.HasFormatVersion || record.FormatVersion != FormatVersion)
        {
            throw new InvalidMessageException("SPQR state has an unknown format version");
        }

        if (!record.HasDirection || record.Direction > 1 || record.Chain is null || record.Braid is null)
        {
            throw new InvalidMessageException("SPQR state is incomplete");
        }

        var direction = record.Direction == 0 ? SpqrDirection.A2B : SpqrDirection.B2A;
        var chain = ReadChain(record.Chain, direction);
        var braid = ReadBraid(record.Braid);
        // The chain is one epoch behind the braid, or level with it once a send_ct side has emitted the secret.
        if (chain.CurrentEpoch > braid.Epoch || chain.CurrentEpoch + 1 < braid.Epoch)
        {
            throw new InvalidMessageException("SPQR state chain and braid epochs disagree");
        }

        return new SpqrState(direction, chain, braid);
    }

    private static SpqrChainRecord WriteChain(SpqrChain chain)
    {
        var record = new SpqrChainRecord { NextRoot = ByteString.CopyFrom(chain.NextRoot) };
        foreach (var epoch in chain.Epochs)
        {
            record.Epochs.Add(new SpqrChainEpochRecord
            {
                Epoch = epoch.Epoch,
                Receive = WriteDirection(epoch.Receive),
            });
            if (epoch.Send is not null)
            {
                record.Epochs[^1].Send = WriteDirection(epoch.Send);
            }
        }

        return record;
    }

    private static SpqrDirectionalChainRecord WriteDirection(DirectionalChain chain)
    {
        var skipped = new byte[chain.Skipped.Count * SkippedEntrySize];
        int offset = 0;
        foreach (var (index, key) in chain.Skipped)
        {
            BinaryPrimitives.WriteUInt32BigEndian(skipped.AsSpan(offset), index);
            key.CopyTo(skipped, offset + 4);
            offset += SkippedEntrySize;
        }

        return new SpqrDirectionalChainRecord
        {
            Counter = chain.Counter,
            Next = ByteString.CopyFrom(chain.NextKey),
            Skipped = UnsafeByteOperations.UnsafeWrap(skipped),
        };
    }

    private static SpqrChain ReadChain(SpqrChainRecord record, SpqrDirection direction)
    {
        if (!record.HasNextRoot || record.Epochs.Count is 0 or > SpqrChain.EpochsKept)
        {
            throw new InvalidMessageException("SPQR state chain is incomplete");
        }

        var epochs = new ChainEpoch[record.Epochs.Count];
        for (int i = 0; i < epochs.Length; i++)
        {
            var epoch = record.Epochs[i];
            if (!epoch.HasEpoch || epoch.Receive is null)
            {
                throw new InvalidMessageException("SPQR state chain epoch is incomplete");
            }

            var send = epoch.Send is null ? null : ReadDirection(epoch.Send);
            epochs[i] = new ChainEpoch(epoch.Epoch, send, ReadDirection(epoch.Receive));
        }

        return new SpqrChain(direction, record.NextRoot.ToByteArray(), epochs);
    }

    private static DirectionalChain ReadDirection(SpqrDirectionalChainRecord record)
    {
        if (!record.HasCounter || !record.HasNext)
        {
            throw new InvalidMessageException("SPQR state chain direction is incomplete");
        }

        var skippedBytes = record.Skipped.Span;
        if (skippedBytes.Length % SkippedEntrySize != 0 || skippedBytes.Length / SkippedEntrySize > SpqrChain.MaxStoredKeys)
        {
            throw new InvalidMessageException("SPQR state skipped keys are malformed");
        }

        var builder = ImmutableSortedDictionary.CreateBuilder<uint, byte[]>();
        uint previous = 0;
        for (int offset = 0; offset < skippedBytes.Length; offset += SkippedEntrySize)
        {
            uint index = BinaryPrimitives.ReadUInt32BigEndian(skippedBytes[offset..]);
            if (index <= previous || index > record.Counter)
            {
                throw new InvalidMessageException("SPQR state skipped keys are out of order");
            }

            builder[index] = skippedBytes.Slice(offset + 4, DirectionalChain.KeySize).ToArray();
            previous = index;
        }

        return new DirectionalChain(record.Counter, record.Next.ToByteArray(), builder.ToImmutable());
    }

    private static SpqrBraidRecord WriteBraid(BraidState state)
    {
        var record = new SpqrBraidRecord
        {
            Kind = (uint)state.Kind,
            Epoch = state.Epoch,
            AuthRoot = ByteString.CopyFrom(state.Authenticator.Root),
            AuthMac = ByteString.CopyFrom(state.Authenticator.MacKey),
        };
        switch (state)
        {
            case KeysUnsampled:
                break;
            case KeysSampled s:
                record.DecapsulationKey = ByteString.CopyFrom(s.DecapsulationKey);
                record.EncapsulationKeyVector = ByteString.CopyFrom(s.EncapsulationKeyVector);
                record.Encoder = WriteEncoder(s.HeaderEncoder);
                break;
            case HeaderSent s:
                record.DecapsulationKey = ByteString.CopyFrom(s.DecapsulationKey);
                record.Encoder = WriteEncoder(s.EkEncoder);
                record.Decoder = WriteDecoder(s.Ct1Decoder);
                break;
            case Ct1Received s:
                record.DecapsulationKey = ByteString.CopyFrom(s.DecapsulationKey);
                record.Encoder = WriteEncoder(s.EkEncoder);
                record.Ct1 = ByteString.CopyFrom(s.Ct1);
                break;
            case EkSentCt1Received s:
                record.DecapsulationKey = ByteString.CopyFrom(s.DecapsulationKey);
                record.Ct1 = ByteString.CopyFrom(s.Ct1);
                record.Decoder = WriteDecoder(s.Ct2Decoder);
                break;
            case NoHeaderReceived s:
                record.Decoder = WriteDecoder(s.HeaderDecoder);
                break;
            case HeaderReceived s:
                record.Header = ByteString.CopyFrom(s.Header);
                break;
            case Ct1Sampled s:
                record.Header = ByteString.CopyFrom(s.Header);
                record.M = ByteString.CopyFrom(s.M);
                record.Encoder = WriteEncoder(s.Ct1Encoder);
                record.Decoder = WriteDecoder(s.EkDecoder);
                break;
            case EkReceivedCt1Sampled s:
                record.Header = ByteString.CopyFrom(s.Header);
                record.M = ByteString.CopyFrom(s.M);
                record.Encoder = WriteEncoder(s.Ct1Encoder);
                record.EncapsulationKeyVector = ByteString.CopyFrom(s.EncapsulationKeyVector);
                break;
            case Ct1Acknowledged s:
                record.Header = ByteString.CopyFrom(s.Header);
                record.M = ByteString.CopyFrom(s.M);
                record.Ct1 = ByteString.CopyFrom(s.Ct1);
                record.Decoder = WriteDecoder(s.EkDecoder);
                break;
            case Ct2Sampled s:
                record.Encoder = WriteEncoder(s.Ct2Encoder);
                break;
            default:
                throw new InvalidOperationException("unknown braid state");
        }

        return record;
    }

    private static BraidState ReadBraid(SpqrBraidRecord record)
    {
        if (!record.HasKind || !record.HasEpoch || record.Epoch is 0 or > long.MaxValue || !record.HasAuthRoot || !record.HasAuthMac)
        {
            throw new InvalidMessageException("SPQR state braid is incomplete");
        }

        ulong e = record.Epoch;
        var auth = SpqrAuthenticator.FromKeys(record.AuthRoot.ToByteArray(), record.AuthMac.ToByteArray());
        return (BraidStateKind)record.Kind switch
        {
            BraidStateKind.KeysUnsampled => new KeysUnsampled(e, auth),
            BraidStateKind.KeysSampled => new KeysSampled(
                e, auth, Bytes(record.HasDecapsulationKey, record.DecapsulationKey, BraidSizes.DecapsulationKey),
                Bytes(record.HasEncapsulationKeyVector, record.EncapsulationKeyVector, BraidSizes.EncapsulationKeyVector),
                ReadEncoder(record.Encoder, BraidSizes.HeaderPayload)),
            BraidStateKind.HeaderSent => new HeaderSent(
                e, auth, Bytes(record.HasDecapsulationKey, record.DecapsulationKey, BraidSizes.DecapsulationKey),
                ReadEncoder(record.Encoder, BraidSizes.EncapsulationKeyVector), ReadDecoder(record.Decoder, BraidSizes.Ct1)),
            BraidStateKind.Ct1Received => new Ct1Received(
                e, auth, Bytes(record.HasDecapsulationKey, record.DecapsulationKey, BraidSizes.DecapsulationKey),
                ReadEncoder(record.Encoder, BraidSizes.EncapsulationKeyVector), Bytes(record.HasCt1, record.Ct1, BraidSizes.Ct1)),
            BraidStateKind.EkSentCt1Received => new EkSentCt1Received(
                e, auth, Bytes(record.HasDecapsulationKey, record.DecapsulationKey, BraidSizes.DecapsulationKey),
                Bytes(record.HasCt1, record.Ct1, BraidSizes.Ct1), ReadDecoder(record.Decoder, BraidSizes.Ct2Payload)),
            BraidStateKind.NoHeaderReceived => new NoHeaderReceived(e, auth, ReadDecoder(record.Decoder, BraidSizes.HeaderPayload)),
            BraidStateKind.HeaderReceived => new HeaderReceived(e, auth, Bytes(record.HasHeader, record.Header, BraidSizes.Header)),
            BraidStateKind.Ct1Sampled => new Ct1Sampled(
                e, auth, Bytes(record.HasHeader, record.Header, BraidSizes.Header), Bytes(record.HasM, record.M, BraidSizes.Secret),
                ReadEncoder(record.Encoder, BraidSizes.Ct1), ReadDecoder(record.Decoder, BraidSizes.EncapsulationKeyVector)),
            BraidStateKind.EkReceivedCt1Sampled => new EkReceivedCt1Sampled(
                e, auth, Bytes(record.HasHeader, record.Header, BraidSizes.Header), Bytes(record.HasM, record.M, BraidSizes.Secret),
                ReadEncoder(record.Encoder, BraidSizes.Ct1),
                Bytes(record.HasEncapsulationKeyVector, record.EncapsulationKeyVector, BraidSizes.EncapsulationKeyVector)),
            BraidStateKind.Ct1Acknowledged => new Ct1Acknowledged(
                e, auth, Bytes(record.HasHeader, record.Header, BraidSizes.Header), Bytes(record.HasM, record.M, BraidSizes.Secret),
                Bytes(record.HasCt1, record.Ct1, BraidSizes.Ct1), ReadDecoder(record.Decoder, BraidSizes.EncapsulationKeyVector)),
            BraidStateKind.Ct2Sampled => new Ct2Sampled(e, auth, ReadEncoder(record.Encoder, BraidSizes.Ct2Payload)),
            _ => throw new InvalidMessageException("SPQR state braid kind is unknown"),
        };
    }

    private static byte[] Bytes(bool present, ByteString value, int length)
    {
        if (!present || value.Length != length)
        {
            throw new InvalidMessageException("SPQR state braid field is missing or has the wrong size");
        }

        return value.ToByteArray();
    }

    private static SpqrEncoderRecord WriteEncoder(ChunkEncoder encoder) => new()
    {
        Payload = ByteString.CopyFrom(encoder.Payload),
        NextIndex = encoder.NextIndex,
    };

    private static ChunkEncoder ReadEncoder(SpqrEncoderRecord? record, int payloadLength)
    {
        if (record is null || !record.HasPayload || record.Payload.Length != payloadLength || !record.HasNextIndex || record.NextIndex > ushort.MaxValue)
        {
            throw new InvalidMessageException("SPQR state encoder is malformed");
        }

        return new ChunkEncoder(record.Payload.ToByteArray(), (ushort)record.NextIndex);
    }

    private static SpqrDecoderRecord WriteDecoder(ChunkDecoder decoder)
    {
        var chunks = new byte[decoder.Count * ChunkEntrySize];
        int offset = 0;
        for (var node = decoder.Chunks; node is not null; node = node.Next)
        {
            BinaryPrimitives.WriteUInt16BigEndian(chunks.AsSpan(offset), node.Chunk.Index);
            node.Chunk.Data.CopyTo(chunks, offset + 2);
            offset += ChunkEntrySize;
        }

        return new SpqrDecoderRecord { Chunks = ByteString.CopyFrom(chunks) };
    }

    private static ChunkDecoder ReadDecoder(SpqrDecoderRecord? record, int payloadLength)
    {
        if (record is null)
        {
            throw new InvalidMessageException("SPQR state decoder is missing");
        }

        var bytes = record.Chunks.Span;
        if (bytes.Length % ChunkEntrySize != 0)
        {
            throw new InvalidMessageException("SPQR state decoder is malformed");
        }

        var decoder = ChunkDecoder.Create(payloadLength);
        // Stored newest first; re-adding oldest first restores the same list.
        for (int offset = bytes.Length - ChunkEntrySize; offset >= 0; offset -= ChunkEntrySize)
        {
            var chunk = new SpqrChunk(
                BinaryPrimitives.ReadUInt16BigEndian(bytes[offset..]),
                bytes.Slice(offset + 2, SpqrChunk.DataSize).ToArray());
            var added = decoder.Add(chunk);
            if (ReferenceEquals(added, decoder) || added.IsComplete)
            {
                throw new InvalidMessageException("SPQR state decoder holds repeated or too many chunks");
            }

            decoder = added;
        }

        return decoder;
    }
}
