using System.Buffers;
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
        if (IsUnreserved(value))
        {
            return value; // most values (ids, numbers, timestamps' digits aside) need nothing
        }

        var builder = new StringBuilder(value.Length * 3);
        AppendEncoded(builder, value);
        return builder.ToString();
    }

    /// <summary>Parameters sorted ordinally (never culture order), encoded and joined with '&amp;'; Signature excluded.</summary>
    public static string CanonicalizedQuery(IEnumerable<KeyValuePair<string, string>> parameters)
    {
        ArgumentNullException.ThrowIfNull(parameters);
        var sorted = new List<KeyValuePair<string, string>>(parameters is ICollection<KeyValuePair<string, string>> c ? c.Count : 16);
        foreach (var pair in parameters)
        {
            if (pair.Key == "Signature")
            {
                continue;
            }

            // Insertion sort: stable (as the specification's ordering of equal keys needs) and the fastest for the
            // twenty-odd parameters of a call.
            var at = sorted.Count;
            while (at > 0 && string.CompareOrdinal(sorted[at - 1].Key, pair.Key) > 0)
            {
                at--;
            }

            sorted.Insert(at, pair);
        }

        var builder = new StringBuilder(256);
        foreach (var (key, value) in sorted)
        {
            if (builder.Length > 0)
            {
                builder.Append('&');
            }

            AppendEncoded(builder, key);
            builder.Append('=');
            AppendEncoded(builder, value);
        }

        return builder.ToString();
    }

    public static string StringToSign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters) =>
        httpMethod.ToUpperInvariant() + "&" + Encode("/") + "&" + Encode(CanonicalizedQuery(parameters));

    public static string Sign(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret) =>
        SignCanonical(httpMethod, CanonicalizedQuery(parameters), accessKeySecret);

    /// <summary>
    /// The form body (or query) of a signed call: <see cref="ToSignedQuery"/> of <see cref="Sign"/>, with the canonical
    /// query built once for both.
    /// </summary>
    public static string SignedQuery(string httpMethod, IEnumerable<KeyValuePair<string, string>> parameters, string accessKeySecret)
    {
        var canonical = CanonicalizedQuery(parameters);
        return canonical + "&Signature=" + Encode(SignCanonical(httpMethod, canonical, accessKeySecret));
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

    /// <summary>
    /// HMAC-SHA1 (key: secret + "&amp;") of <see cref="StringToSign"/> — METHOD &amp; %2F &amp; the canonical query encoded
    /// once more — written straight into bytes: the canonical query is ASCII, so each character is one byte.
    /// </summary>
    private static string SignCanonical(string httpMethod, string canonical, string accessKeySecret)
    {
        ArgumentNullException.ThrowIfNull(httpMethod);
        ArgumentNullException.ThrowIfNull(accessKeySecret);
        var method = httpMethod.ToUpperInvariant();
        var buffer = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(method.Length) + 5 + (canonical.Length * 3));
        try
        {
            var length = Encoding.UTF8.GetBytes(method, buffer);
            "&%2F&"u8.CopyTo(buffer.AsSpan(length));
            length += 5;
            var rest = canonical.AsSpan();
            while (!rest.IsEmpty)
            {
                // A run of unreserved characters (ASCII, one byte each) as it is, then the one character after it encoded.
                var run = rest.IndexOfAnyExcept(Unreserved);
                if (run < 0)
                {
                    run = rest.Length;
                }

                length += Encoding.ASCII.GetBytes(rest[..run], buffer.AsSpan(length));
                if (run == rest.Length)
                {
                    break;
                }

                var c = rest[run];
                if (c > 0x7F)
                {
                    throw new InvalidOperationException("A canonical query is ASCII: CanonicalizedQuery percent-encodes every other byte.");
                }

                buffer[length++] = (byte)'%';
                buffer[length++] = (byte)Hex[c >> 4];
                buffer[length++] = (byte)Hex[c & 0xF];
                rest = rest[(run + 1)..];
            }

            Span<byte> mac = stackalloc byte[HMACSHA1.HashSizeInBytes];
            HMACSHA1.HashData(Encoding.UTF8.GetBytes(accessKeySecret + "&"), buffer.AsSpan(0, length), mac);
            return Convert.ToBase64String(mac);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private const string Hex = "0123456789ABCDEF";

    /// <summary>RFC 3986's unreserved characters: the only ones a value keeps as they are.</summary>
    private static readonly SearchValues<char> Unreserved =
        SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~");

    private static bool IsUnreserved(string value) => !value.AsSpan().ContainsAnyExcept(Unreserved);

    /// <summary>Appends the percent-encoding of <paramref name="value"/>'s UTF-8 bytes (see <see cref="Encode"/>).</summary>
    private static void AppendEncoded(StringBuilder builder, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        Span<byte> bytes = stackalloc byte[8]; // the UTF-8 of one character (a surrogate pair at most: 4)
        var start = 0;
        while (start < value.Length)
        {
            var next = value.AsSpan(start).IndexOfAnyExcept(Unreserved);
            if (next < 0)
            {
                break;
            }

            var i = start + next;
            builder.Append(value, start, i - start);
            var c = value[i];
            if (c <= 0x7F)
            {
                builder.Append('%').Append(Hex[c >> 4]).Append(Hex[c & 0xF]);
                start = i + 1;
                continue;
            }

            // A non-ASCII character (a surrogate pair counts as one): each of its UTF-8 bytes as %XX.
            var width = char.IsHighSurrogate(c) && i + 1 < value.Length && char.IsLowSurrogate(value[i + 1]) ? 2 : 1;
            var count = Encoding.UTF8.GetBytes(value.AsSpan(i, width), bytes);
            foreach (var b in bytes[..count])
            {
                builder.Append('%').Append(Hex[b >> 4]).Append(Hex[b & 0xF]);
            }

            start = i + width;
        }

        builder.Append(value, start, value.Length - start);
    }
}
