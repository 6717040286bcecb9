using FsCheck.Xunit;
using SignalSharp;
using SignalSharp.Spqr;
using Xunit;

namespace SignalSharp.Tests.Spqr;

/// <summary>Untrusted bytes into Receive and Deserialize fail only with SignalProtocolException subclasses.</summary>
public class SpqrFuzzTests
{
    private static readonly Lazy<SpqrState[]> States = new(() =>
    {
        var peers = new SpqrPeers(50);
        var states = new List<SpqrState> { peers.Alice, peers.Bob };
        for (int round = 0; round < 50; round++)
        {
            peers.Round();
            if (round % 7 == 0)
            {
                states.Add(peers.Alice);
                states.Add(peers.Bob);
            }
        }

        return [.. states];
    });

    [Property(MaxTest = 300)]
    public void RandomMessagesFailWithProtocolErrorsOnly(byte[] data, bool asVersion1)
    {
        data ??= [];
        byte[] message = asVersion1 ? [0x01, .. data] : data;
        foreach (var state in States.Value)
        {
            try
            {
                var result = state.Receive(message);
                Assert.True(result.Key.Length is 0 or 32);
            }
            catch (SignalProtocolException)
            {
            }
        }
    }

    [Property(MaxTest = 300)]
    public void ChunkMessagesWithRandomFieldsFailWithProtocolErrorsOnly(byte epoch, ushort index, byte type, ushort chunkIndex, byte[] tail)
    {
        tail ??= [];
        var message = new List<byte> { 0x01 };
        var buffer = new byte[10];
        message.AddRange(buffer[..Varint.Write((ulong)(epoch % 4), buffer)]);
        message.AddRange(buffer[..Varint.Write(index, buffer)]);
        message.Add((byte)(type % 8));
        message.AddRange(buffer[..Varint.Write(chunkIndex, buffer)]);
        message.AddRange(tail);
        foreach (var state in States.Value)
        {
            try
            {
                state.Receive(message.ToArray());
            }
            catch (SignalProtocolException)
            {
            }
        }
    }

    [Property(MaxTest = 300)]
    public void RandomStateBytesFailWithProtocolErrorsOnly(byte[] data)
    {
        try
        {
            SpqrState.Deserialize(data ?? []);
        }
        catch (SignalProtocolException)
        {
        }
    }

    [Property(MaxTest = 300)]
    public void CorruptedStatesFailWithProtocolErrorsOnly(int which, int position, byte mask)
    {
        var states = States.Value;
        var bytes = states[(int)((uint)which % (uint)states.Length)].Serialize();
        bytes[(int)((uint)position % (uint)bytes.Length)] ^= mask == 0 ? (byte)1 : mask;
        SpqrState restored;
        try
        {
            restored = SpqrState.Deserialize(bytes);
        }
        catch (SignalProtocolException)
        {
            return;
        }

        try
        {
            restored.Send(new SeededRandom(position)).NewState.Serialize();
        }
        catch (SignalProtocolException)
        {
        }
    }
}
