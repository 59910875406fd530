using System.Buffers;
using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using System.Security.Cryptography;
using Microsoft.IdentityModel.Tokens;

namespace BindingService.Api.Infrastructure.Auth;

/// <summary>
/// Remembers which bearer-token signatures have already been checked, so that a caller presenting the same token on
/// every request pays the ECDSA (or RSA) verification once rather than per request (docs/security.md, "Verified
/// signatures"). It remembers only a result the verification itself gave: "these signed bytes and this signature
/// verify under this key and algorithm", a fact that does not change. Everything else about a token — lifetime,
/// issuer, audience, algorithm, the caller claim — is still checked on every request by the token handler.
/// <list type="bullet">
/// <item>Only successes are remembered: a forged or tampered token is verified (and refused) every time.</item>
/// <item>The memo is per key object: a key removed from the trusted set (configuration, or a rotation seen through
/// discovery) is never asked again, so nothing it verified is honoured after its removal.</item>
/// <item>An entry is a SHA-256 digest of the signed bytes' length, the signed bytes and the signature (the length makes
/// the split between the two unambiguous), so a hit needs a SHA-256 collision to be wrong.</item>
/// <item>At most <see cref="Capacity"/> entries per key and algorithm; when full the memo starts again empty.</item>
/// </list>
/// Signing and everything else are the inner factory's.
/// </summary>
internal sealed class VerifiedSignatures(CryptoProviderFactory inner, int capacity = VerifiedSignatures.DefaultCapacity) : CryptoProviderFactory
{
    public const int DefaultCapacity = 10_000;

    private readonly ConditionalWeakTable<SecurityKey, ConcurrentDictionary<string, ResettingMemo<Digest, bool>>> _perKey = [];

    public int Capacity { get; } = capacity > 0 ? capacity : throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "The memo needs room for at least one entry.");

    public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm) => Remembering(key, algorithm, inner.CreateForVerifying(key, algorithm));

    public override SignatureProvider CreateForVerifying(SecurityKey key, string algorithm, bool cacheProvider) =>
        Remembering(key, algorithm, inner.CreateForVerifying(key, algorithm, cacheProvider));

    public override void ReleaseSignatureProvider(SignatureProvider signatureProvider) =>
        inner.ReleaseSignatureProvider(signatureProvider is RememberingProvider remembering ? remembering.Inner : signatureProvider);

    public override SignatureProvider CreateForSigning(SecurityKey key, string algorithm) => inner.CreateForSigning(key, algorithm);

    public override SignatureProvider CreateForSigning(SecurityKey key, string algorithm, bool cacheProvider) => inner.CreateForSigning(key, algorithm, cacheProvider);

    public override bool IsSupportedAlgorithm(string algorithm) => inner.IsSupportedAlgorithm(algorithm);

    public override bool IsSupportedAlgorithm(string algorithm, SecurityKey key) => inner.IsSupportedAlgorithm(algorithm, key);

    private SignatureProvider Remembering(SecurityKey key, string algorithm, SignatureProvider provider) =>
        provider is null ? null! : new RememberingProvider(provider, _perKey.GetValue(key, _ => new(StringComparer.Ordinal)).GetOrAdd(algorithm, _ => new ResettingMemo<Digest, bool>(Capacity)));

    /// <summary>SHA-256 of (length of the signed bytes, the signed bytes, the signature).</summary>
    private readonly record struct Digest(ulong A, ulong B, ulong C, ulong D)
    {
        public static Digest Of(ReadOnlySpan<byte> input, ReadOnlySpan<byte> signature)
        {
            var length = sizeof(int) + input.Length + signature.Length;
            var rented = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                BinaryPrimitives.WriteInt32BigEndian(rented, input.Length);
                input.CopyTo(rented.AsSpan(sizeof(int)));
                signature.CopyTo(rented.AsSpan(sizeof(int) + input.Length));
                Span<byte> hash = stackalloc byte[32];
                SHA256.HashData(rented.AsSpan(0, length), hash);
                return new Digest(
                    BinaryPrimitives.ReadUInt64LittleEndian(hash),
                    BinaryPrimitives.ReadUInt64LittleEndian(hash[8..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(hash[16..]),
                    BinaryPrimitives.ReadUInt64LittleEndian(hash[24..]));
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(rented);
            }
        }
    }

    /// <summary>The inner provider, asked only for what the memo does not hold; it verifies, never signs here.</summary>
    private sealed class RememberingProvider(SignatureProvider inner, ResettingMemo<Digest, bool> memo) : SignatureProvider(inner.Key, inner.Algorithm)
    {
        public SignatureProvider Inner => inner;

        public override bool Verify(byte[] input, byte[] signature)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(signature);
            return Verify(input, 0, input.Length, signature, 0, signature.Length);
        }

        public override bool Verify(byte[] input, int inputOffset, int inputLength, byte[] signature, int signatureOffset, int signatureLength)
        {
            ArgumentNullException.ThrowIfNull(input);
            ArgumentNullException.ThrowIfNull(signature);
            var digest = Digest.Of(input.AsSpan(inputOffset, inputLength), signature.AsSpan(signatureOffset, signatureLength));
            if (memo.TryGetValue(digest, out _))
            {
                return true;
            }

            var valid = inner.Verify(input, inputOffset, inputLength, signature, signatureOffset, signatureLength);
            if (valid)
            {
                memo.Add(digest, true);
            }

            return valid;
        }

        public override byte[] Sign(byte[] input) => throw new NotSupportedException("A verifying provider does not sign.");

        protected override void Dispose(bool disposing)
        {
            // The inner provider belongs to the inner factory (released through ReleaseSignatureProvider).
        }
    }
}
