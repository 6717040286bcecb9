using System.Buffers;
using System.Collections.Concurrent;
using System.Net.WebSockets;
using System.Text.Json;
using SignalSharp.Relay.Mailbox;

namespace SignalSharp.Relay.Api;

/// <summary>
/// The WebSocket half (<c>GET /v1/websocket</c>): pushes the device's mailbox in order, at most
/// <see cref="RelayOptions.MaxInFlightPerConnection"/> unacknowledged envelopes at a time, and removes an envelope
/// only when the device acknowledges it. A new connection starts again from the oldest unacknowledged envelope.
/// </summary>
internal sealed class DeliverySocket(RelayState state)
{
    public void Map(WebApplication app) => app.Map("/v1/websocket", AcceptAsync);

    private async Task AcceptAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = 400;
            return;
        }

        if (await DeviceCredentials.AuthenticateAsync(context, state.Accounts) is not { } device)
        {
            context.Response.StatusCode = 401;
            return;
        }

        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        using var connection = state.Connections.Open(device);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(connection.Token, context.RequestAborted);
        var wake = new SemaphoreSlim(0, int.MaxValue);
        var inFlight = new ConcurrentDictionary<Guid, byte>();
        using var subscription = state.Mailboxes.Subscribe(device, () => wake.Release());
        try
        {
            var receiving = ReceiveAcksAsync(socket, device, inFlight, wake, ended);
            var sending = PushAsync(socket, device, inFlight, wake, ended.Token);
            await Task.WhenAny(receiving, sending);
            ended.Cancel();
            await Task.WhenAll(Swallow(receiving), Swallow(sending));
            if (socket.State == WebSocketState.Open)
            {
                var status = connection.IsCancellationRequested ? (WebSocketCloseStatus)4000 : WebSocketCloseStatus.NormalClosure;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
                await Swallow(socket.CloseOutputAsync(status, connection.IsCancellationRequested ? "replaced or removed" : "bye", timeout.Token));
            }
        }
        finally
        {
            state.Connections.Release(device, connection);
        }
    }

    private async Task PushAsync(WebSocket socket, DeviceKey device, ConcurrentDictionary<Guid, byte> inFlight, SemaphoreSlim wake, CancellationToken cancellationToken)
    {
        long cursor = 0;
        bool announcedEmpty = false;
        while (!cancellationToken.IsCancellationRequested)
        {
            int room = state.Options.MaxInFlightPerConnection - inFlight.Count;
            var batch = room > 0 ? await state.Mailboxes.ReadAsync(device, cursor, room, cancellationToken) : [];
            foreach (var envelope in batch)
            {
                inFlight.TryAdd(envelope.Id, 0);
                await SendAsync(socket, new
                {
                    type = "envelope",
                    id = envelope.Id,
                    source = envelope.SourceName,
                    sourceDevice = envelope.SourceDevice,
                    messageType = envelope.MessageType,
                    serverTimestamp = envelope.ServerTimestamp,
                    content = envelope.Content,
                }, cancellationToken);
                cursor = envelope.Sequence;
            }

            if (batch.Count == 0 && room > 0 && !announcedEmpty)
            {
                announcedEmpty = true;
                await SendAsync(socket, new { type = "queueEmpty" }, cancellationToken);
            }

            if (batch.Count == 0 || room <= batch.Count)
            {
                await wake.WaitAsync(cancellationToken);
            }
        }
    }

    private async Task ReceiveAcksAsync(WebSocket socket, DeviceKey device, ConcurrentDictionary<Guid, byte> inFlight, SemaphoreSlim wake, CancellationTokenSource ended)
    {
        byte[] buffer = ArrayPool<byte>.Shared.Rent(state.Options.MaxClientFrameBytes);
        try
        {
            while (!ended.IsCancellationRequested)
            {
                int length = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (length == state.Options.MaxClientFrameBytes)
                    {
                        await socket.CloseOutputAsync(WebSocketCloseStatus.MessageTooBig, $"frames are at most {state.Options.MaxClientFrameBytes} bytes", CancellationToken.None);
                        return;
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(length, state.Options.MaxClientFrameBytes - length), ended.Token);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        return;
                    }

                    length += result.Count;
                }
                while (!result.EndOfMessage);

                if (ParseAck(buffer.AsSpan(0, length)) is not { } id)
                {
                    await socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "expected {\"type\":\"ack\",\"id\":\"<envelope id>\"}", CancellationToken.None);
                    return;
                }

                // Scoped to this device's mailbox: an id from another mailbox matches nothing.
                await state.Mailboxes.AcknowledgeAsync(device, id, ended.Token);
                if (inFlight.TryRemove(id, out _))
                {
                    wake.Release();
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static Guid? ParseAck(ReadOnlySpan<byte> frame)
    {
        try
        {
            var reader = new Utf8JsonReader(frame);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("type", out var type) && type.ValueEquals("ack")
                && root.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.TryGetGuid(out var guid)
                ? guid
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static async Task SendAsync(WebSocket socket, object frame, CancellationToken cancellationToken)
    {
        byte[] bytes = JsonSerializer.SerializeToUtf8Bytes(frame, HttpApi.Json);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
    }

    private static async Task Swallow(Task task)
    {
        try
        {
            await task;
        }
        catch (Exception e) when (e is OperationCanceledException or WebSocketException or IOException)
        {
            // The connection is ending; the mailbox still holds whatever was not acknowledged.
        }
    }
}
