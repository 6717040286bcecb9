namespace SignalSharp;

/// <summary>A message names a one-time, signed or Kyber pre-key that the local store does not hold.</summary>
public class InvalidKeyIdException : InvalidMessageException
{
    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    public InvalidKeyIdException(string message) : base(message) { }

    /// <summary>Creates the exception with a message and the underlying cause.</summary>
    /// <param name="message">What went wrong, without secret material.</param>
    /// <param name="innerException">The failure that caused this one.</param>
    public InvalidKeyIdException(string message, Exception innerException) : base(message, innerException) { }
}
