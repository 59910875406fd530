namespace BindingService.Application.Abstractions;

/// <summary>
/// A stored phone number could not be decrypted: written under an encryption key that is no longer configured, or
/// damaged. Nothing a caller sent is wrong and retrying does not help, so the Api answers 409 <c>binding.unreadable</c>
/// (never a 500) and the jobs report and skip the row (docs/operations.md, "Rotating keys"). The message never carries
/// the ciphertext or a number.
/// </summary>
public sealed class StoredNumberUnreadableException(string reason, Exception? innerException = null)
    : Exception($"A stored phone number cannot be decrypted: {reason}", innerException)
{
    /// <summary>The problem code the Api answers with.</summary>
    public const string Code = "binding.unreadable";

    /// <summary>Whether <paramref name="exception"/> is one, or wraps one (as EF does while materialising a row).</summary>
    public static bool IsIn(Exception? exception)
    {
        for (var e = exception; e is not null; e = e.InnerException)
        {
            if (e is StoredNumberUnreadableException)
            {
                return true;
            }
        }

        return false;
    }
}
