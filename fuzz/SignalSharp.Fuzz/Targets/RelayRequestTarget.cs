using System.Text;
using System.Text.Json;
using SignalSharp.Relay;
using SignalSharp.Relay.Api;

namespace SignalSharp.Fuzz.Targets;

/// <summary>
/// What the sample relay (samples/SignalSharp.Relay) does with request bytes before it stores anything. Its bodies are
/// bound by System.Text.Json; what is the relay's own is the key validation behind registration and key upload (identity
/// key, signed EC and Kyber keys with their signatures, one-time keys, limits) and the Basic credentials parser, so the
/// first input byte picks: even, the rest is a registration body (JSON binding, then <c>Validation.ParseRegistration</c>);
/// odd, the rest is an Authorization header. The relay answers a <see cref="JsonException"/> with 400 and a refused
/// upload or header with 4xx, so both count as refusals here; any other exception would be a 500 and is a finding.
/// Message sends are not parsed by the relay (it queues opaque content after range checks), so no target covers them.
/// </summary>
public sealed class RelayRequestTarget : FuzzTarget
{
    private static readonly RelayOptions Options = new();

    public override string Name => "relay-request";

    public override void Run(ReadOnlySpan<byte> input)
    {
        if (input.IsEmpty)
        {
            return;
        }

        if ((input[0] & 1) == 0)
        {
            RegisterRequest? request;
            try
            {
                request = JsonSerializer.Deserialize<RegisterRequest>(input[1..], HttpApi.Json);
            }
            catch (JsonException)
            {
                return;
            }

            if (request is not null)
            {
                _ = Validation.IsValidName(request.Name);
                _ = Validation.IsValidRegistrationId(request.RegistrationId);
                _ = Validation.ParseRegistration(request, Options, out _);
            }
        }
        else
        {
            _ = DeviceCredentials.Parse(Encoding.UTF8.GetString(input[1..]));
        }
    }

    public override IEnumerable<byte[]> Seeds(FuzzWorld world)
    {
        using var signed = SignedPreKeyRecord.Deserialize(world.BobSignedPreKeyRecord);
        using var kyber = KyberPreKeyRecord.Deserialize(world.BobKyberPreKeyRecord);
        var oneTime = world.BobPreKeyRecords.Select(b => PreKeyRecord.Deserialize(b)).ToArray();
        var request = new RegisterRequest(
            "bob", world.BobRegistrationId, world.BobIdentity.IdentityKey.Serialize(),
            new SignedKeyJson(signed.Id, signed.PublicKey.Serialize(), signed.Signature),
            new SignedKeyJson(kyber.Id, kyber.PublicKey.Serialize(), kyber.Signature),
            [.. oneTime.Select(k => new OneTimeKeyJson(k.Id, k.PublicKey.Serialize()))],
            [new SignedKeyJson(2, kyber.PublicKey.Serialize(), kyber.Signature)]);
        foreach (var key in oneTime)
        {
            key.Dispose();
        }

        yield return [0, .. JsonSerializer.SerializeToUtf8Bytes(request, HttpApi.Json)];
        yield return [1, .. Encoding.UTF8.GetBytes("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("bob.1:c2VjcmV0IHBhc3N3b3Jk")))];
    }
}
