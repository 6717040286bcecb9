using System.Security.Cryptography;
using System.Text;
using SignalSharp.Relay.Accounts;

namespace SignalSharp.Relay.Api;

/// <summary>
/// The per-device secret: 32 random bytes issued at registration, sent by the device as HTTP Basic credentials
/// <c>name.deviceId:password</c>. The relay keeps only its SHA-256 (the secret is random, so no salt or slow hash
/// is needed) and compares hashes in constant time.
/// </summary>
internal static class DeviceCredentials
{
    public static string NewPassword() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string password) => SHA256.HashData(Encoding.UTF8.GetBytes(password));

    /// <summary>Parses <c>Authorization: Basic base64(name.deviceId:password)</c>; null when absent or malformed.</summary>
    public static (DeviceKey Device, string Password)? Parse(string? header)
    {
        const string prefix = "Basic ";
        if (header is null || !header.StartsWith(prefix, StringComparison.Ordinal) || header.Length > 512)
        {
            return null;
        }

        string decoded;
        try
        {
            decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header[prefix.Length..].Trim()));
        }
        catch (FormatException)
        {
            return null;
        }

        int colon = decoded.IndexOf(':', StringComparison.Ordinal);
        int dot = colon < 0 ? -1 : decoded.LastIndexOf('.', colon);
        if (dot <= 0 || !int.TryParse(decoded.AsSpan(dot + 1, colon - dot - 1), System.Globalization.NumberStyles.None, null, out int deviceId))
        {
            return null;
        }

        return (new DeviceKey(decoded[..dot], deviceId), decoded[(colon + 1)..]);
    }

    /// <summary>The authenticated device, or null. Every branch does the same hash and comparison.</summary>
    public static async ValueTask<DeviceKey?> AuthenticateAsync(HttpContext context, IAccountDirectory accounts)
    {
        var parsed = Parse(context.Request.Headers.Authorization.ToString());
        if (parsed is not { } credentials)
        {
            return null;
        }

        var account = Validation.IsValidName(credentials.Device.Name)
            ? await accounts.GetAsync(credentials.Device.Name, context.RequestAborted).ConfigureAwait(false)
            : null;
        var device = account?.Find(credentials.Device.DeviceId);
        byte[] presented = Hash(credentials.Password);
        byte[] expected = device?.SecretHash ?? new byte[presented.Length];
        bool match = CryptographicOperations.FixedTimeEquals(presented, expected);
        return match && device is not null ? credentials.Device : null;
    }
}
