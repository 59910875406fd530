using BindingService.Infrastructure.Security;

namespace BindingService.Infrastructure.Jobs.KeyRotation;

/// <summary>
/// SQL predicates over stored ciphertexts and hashes, by the formats of <see cref="PhoneNumberProtector"/>: a ciphertext
/// carries its key id in bytes 2–5; a hash of version 1 is 32 bytes, a later version is 33 bytes led by the version.
/// The values inlined are numbers from the configuration, never data.
/// </summary>
internal static class KeyringSql
{
    /// <summary>True for a stored, non-erased ciphertext in <paramref name="column"/> not written with the active key.</summary>
    public static string StaleCipher(string column, PhoneNumberProtector protector) =>
        $"({column} IS NOT NULL AND octet_length({column}) > 0 AND substring({column} from 2 for 4) <> '\\x{protector.ActiveKeyId:x8}'::bytea)";

    /// <summary>True for a stored hash in <paramref name="column"/> not computed with the active version.</summary>
    public static string StaleHash(string column, PhoneNumberProtector protector) =>
        $"({column} IS NOT NULL AND {VersionOf(column)} <> {protector.ActiveHashVersion})";

    /// <summary>The hash key version of the hash in <paramref name="column"/>.</summary>
    public static string VersionOf(string column) => $"(CASE WHEN octet_length({column}) = 32 THEN 1 ELSE get_byte({column}, 0) END)";
}
