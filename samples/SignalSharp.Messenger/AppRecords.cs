namespace SignalSharp.Messenger;

/// <summary>One thing the user sees in a conversation.</summary>
/// <param name="Sender">The user who wrote it.</param>
/// <param name="SenderDevice">The device it came from.</param>
/// <param name="Timestamp">The sender's timestamp (the message's id for receipts).</param>
/// <param name="Kind"><c>text</c>, <c>group</c>, or <c>sync</c> (sent by this user from another device).</param>
/// <param name="Conversation">The other user, or <c>group:&lt;id&gt;</c>.</param>
/// <param name="Body">The text.</param>
public sealed record InboxItem(string Sender, int SenderDevice, ulong Timestamp, string Kind, string Conversation, string Body);

/// <summary>A receipt that came back for a message this user sent.</summary>
/// <param name="Timestamp">The acknowledged message's timestamp.</param>
/// <param name="From">The user who acknowledged it.</param>
/// <param name="FromDevice">The device that acknowledged it.</param>
/// <param name="Kind"><c>delivery</c> or <c>read</c>.</param>
public sealed record ReceiptItem(ulong Timestamp, string From, int FromDevice, string Kind);

/// <summary>A group as this device knows it.</summary>
/// <param name="Id">The group id.</param>
/// <param name="Title">The title.</param>
/// <param name="Members">The member users (including this one).</param>
/// <param name="DistributionId">This device's sender-key distribution id for the group (null until it first sends).</param>
/// <param name="RotatePending">A member left since this device last sent: rotate before the next message.</param>
public sealed record GroupInfo(Guid Id, string Title, IReadOnlyList<string> Members, Guid? DistributionId, bool RotatePending);
