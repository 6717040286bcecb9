using SignalSharp;
using SignalSharp.Crypto;

namespace SignalSharp.Devices;

/// <summary>
/// Drains a mailbox: decrypts a batch of queued messages from many senders, in order per sending device, with
/// different senders in parallel. Each message goes through <see cref="SessionCipher"/> on its own, so its session
/// change is committed atomically and independently: a failing message rolls back nothing else and does not stop
/// the messages after it. Every message gets a <see cref="ReceivedMessage"/>; protocol errors and store failures
/// are reported, not thrown.
/// </summary>
/// <remarks>
/// Crash contract: a <see cref="ReceiveStatus.Decrypted"/> result is already committed to the session store, so a
/// redelivery of the same message will come back as <see cref="ReceiveStatus.Duplicate"/> without its plaintext.
/// The application must therefore durably record each decrypted plaintext (keyed by its envelope id) before it
/// acknowledges the message to the server, and must acknowledge nothing it has not recorded.
/// </remarks>
public sealed class BatchReceiver
{
    private readonly ISignalProtocolStore _store;
    private readonly ProtocolAddress _localAddress;
    private readonly int _maxParallelSenders;
    private readonly TimeProvider _time;
    private readonly RandomSource _random;

    /// <summary>Creates a receiver for the local device <paramref name="localAddress"/>.</summary>
    /// <param name="store">The local device's protocol stores.</param>
    /// <param name="localAddress">This device.</param>
    /// <param name="maxParallelSenders">How many senders are decrypted at the same time; the processor count when 0.</param>
    /// <param name="timeProvider">The clock; system clock when null.</param>
    /// <param name="random">Randomness; <see cref="RandomSource.Secure"/> when null.</param>
    public BatchReceiver(ISignalProtocolStore store, ProtocolAddress localAddress, int maxParallelSenders = 0, TimeProvider? timeProvider = null, RandomSource? random = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(localAddress);
        ArgumentOutOfRangeException.ThrowIfNegative(maxParallelSenders);
        _store = store;
        _localAddress = localAddress;
        _maxParallelSenders = maxParallelSenders == 0 ? Environment.ProcessorCount : maxParallelSenders;
        _time = timeProvider ?? TimeProvider.System;
        _random = random ?? RandomSource.Secure;
    }

    /// <summary>
    /// Decrypts <paramref name="messages"/>. Messages of one sending device are decrypted in their order in the
    /// batch. On cancellation no new message is started and the ones not started are reported
    /// <see cref="ReceiveStatus.Skipped"/>; the call still returns every result.
    /// </summary>
    /// <param name="messages">The queued messages, in the order the server delivered them.</param>
    /// <param name="cancellationToken">Stops starting new messages.</param>
    /// <returns>One result per message, in the order of <paramref name="messages"/>.</returns>
    public async ValueTask<IReadOnlyList<ReceivedMessage>> ReceiveAsync(IReadOnlyList<IncomingDeviceMessage> messages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(messages);
        var results = new ReceivedMessage[messages.Count];
        var bySender = new Dictionary<ProtocolAddress, List<int>>();
        for (int i = 0; i < messages.Count; i++)
        {
            var message = messages[i] ?? throw new ArgumentException($"message {i} is null", nameof(messages));
            if (!bySender.TryGetValue(message.Sender, out var queue))
            {
                queue = [];
                bySender.Add(message.Sender, queue);
            }

            queue.Add(i);
        }

        var queues = bySender.Values.ToArray();
        int next = -1;
        async Task WorkAsync()
        {
            // Yield first, so the workers really run side by side even over a store that completes synchronously.
            await Task.Yield();
            for (int q = Interlocked.Increment(ref next); q < queues.Length; q = Interlocked.Increment(ref next))
            {
                foreach (int index in queues[q])
                {
                    results[index] = await ReceiveOneAsync(index, messages[index], cancellationToken).ConfigureAwait(false);
                }
            }
        }

        var workers = new Task[Math.Min(_maxParallelSenders, queues.Length)];
        for (int w = 0; w < workers.Length; w++)
        {
            workers[w] = WorkAsync();
        }

        await Task.WhenAll(workers).ConfigureAwait(false);
        return results;
    }

    private async ValueTask<ReceivedMessage> ReceiveOneAsync(int index, IncomingDeviceMessage message, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return ReceivedMessage.Skipped(index, message.Sender);
        }

        var cipher = new SessionCipher(_store, _localAddress, message.Sender, _time, _random);
        try
        {
            byte[] plaintext = await cipher.DecryptAsync(message.Type, message.Body, cancellationToken).ConfigureAwait(false);
            return ReceivedMessage.Decrypted(index, message.Sender, plaintext);
        }
        catch (DuplicateMessageException)
        {
            return ReceivedMessage.Duplicate(index, message.Sender);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return ReceivedMessage.Skipped(index, message.Sender);
        }
        catch (SignalProtocolException e)
        {
            return ReceivedMessage.Failed(index, message.Sender, Classify(e), e);
        }
        catch (Exception e)
        {
            // Whatever else escapes the cipher comes from the store, whose session write comes last: the message's
            // session change is not committed, and reporting it keeps the results of the other messages.
            return ReceivedMessage.Failed(index, message.Sender, ReceiveErrorKind.Store, e);
        }
    }

    private static ReceiveErrorKind Classify(SignalProtocolException e) => e switch
    {
        LegacyMessageException => ReceiveErrorKind.LegacyMessage,
        InvalidVersionException => ReceiveErrorKind.InvalidVersion,
        InvalidKeyIdException => ReceiveErrorKind.InvalidKeyId,
        InvalidMessageException => ReceiveErrorKind.InvalidMessage,
        NoSessionException => ReceiveErrorKind.NoSession,
        UntrustedIdentityException => ReceiveErrorKind.UntrustedIdentity,
        _ => ReceiveErrorKind.Protocol,
    };
}
