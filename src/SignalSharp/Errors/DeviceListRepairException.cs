using SignalSharp.Devices;

namespace SignalSharp;

/// <summary>
/// A multi-device send gave up: the server kept rejecting the device list of <see cref="UserName"/> after the
/// allowed number of attempts, each followed by a repair. Nothing of the last attempt reached that user; the
/// devices already served in earlier attempts did receive their copies.
/// </summary>
public class DeviceListRepairException : SignalProtocolException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="userName">The user whose device list did not converge.</param>
    /// <param name="attempts">How many sends were tried.</param>
    /// <param name="lastAnswer">The server's last answer for that user.</param>
    public DeviceListRepairException(string userName, int attempts, DeliveryAnswer lastAnswer)
        : base($"the device list of {userName} did not converge after {attempts} attempts (last answer: {lastAnswer})")
    {
        UserName = userName;
        Attempts = attempts;
        LastAnswer = lastAnswer;
    }

    /// <summary>The user whose device list did not converge.</summary>
    public string UserName { get; }

    /// <summary>How many sends were tried.</summary>
    public int Attempts { get; }

    /// <summary>The server's last answer for that user.</summary>
    public DeliveryAnswer LastAnswer { get; }
}
