using System.Security.Cryptography;
using System.Text;

namespace BindingService.PopSignature;

/// <summary>
/// Alibaba Cloud POP RPC signature (HMAC-SHA1, SignatureVersion 1.0), as described in
/// docs/provider-rules.md, 'Signing'. Shared by our client (which signs) and the simulator (which verifies),
/// and pinned by the published test vectors in the unit tests.
/// </summary>
public static class PopSigner
{
    public const string SignatureMethod = "HMAC-SHA1";
    public const string SignatureVersion = "1.0";
    public const string TimestampFormat = "yyyy-MM-dd'T'HH:mm:ss'Z'";

    /// <summary>
    /// RFC 3986 percent-encoding of the UTF-8 bytes: unreserved characters kept, every other byte
    /// as upper-case %XX (so space is %20, '*' is %2A and '~' stays literal).
    /// </summary>
    public static string Encode(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var bytes = Encoding.UTF8.GetBytes(value);
        var sb = new StringBuilder(bytes.Length * 2);
        foreach (var b in bytes)
        {
            var c = (char)b;
            if (c is >= 'A' and <= 'Z' or >= 'a' and <= 'z' or >= '0' and <= '9' or '-' or '_' or '.' or '~')
            {
                sb.Append(c);
            }
            else
            {
                sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return sb.ToString();
    }

    /// <summary>Parameters sorted ordinally (never culture order), encoded and joined with '&amp;'; Signature excluded.</summary>
    public static string CanonicalizedQuery(IEnumerable<KeyValuePair<string, string>> parameters) =>
        string.Join('&', parameters
            .Where(p => p.Key != "Signature")
            .OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => Encode(p.Key) + "=" + Encode(p.Value)));

    public static string StringToSign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters) =>
        httpMethod.ToUpperInvariant() + "&" + Encode("/") + "&" + Encode(CanonicalizedQuery(parameters));

    public static string Sign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var key = Encoding.UTF8.GetBytes(accessKeySecret + "&");
        var data = Encoding.UTF8.GetBytes(StringToSign(httpMethod, parameters));
        return Convert.ToBase64String(HMACSHA1.HashData(key, data));
    }

    /// <summary>Constant-time comparison of a received signature with the one we compute.</summary>
    public static bool Verify(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret, string signature)
    {
        var expected = Encoding.UTF8.GetBytes(Sign(httpMethod, parameters, accessKeySecret));
        var actual = Encoding.UTF8.GetBytes(signature);
        return CryptographicOperations.FixedTimeEquals(expected, actual);
    }

    /// <summary>The body of a signed form POST (or the query of a signed GET): canonical pairs plus Signature.</summary>
    public static string ToSignedQuery(IEnumerable<KeyValuePair<string, string>> parameters, string signature) =>
        CanonicalizedQuery(parameters) + "&Signature=" + Encode(signature);
}
