namespace BindingService.Infrastructure.Numbers;

/// <summary>
/// The SQL of local X selection, shared by <see cref="LocalNumberSelector"/>, the benchmark and the plan test so they
/// measure exactly what runs. Parameters: <c>@pool</c>, <c>@city</c>, <c>@max</c> (pairs per X), <c>@a</c> and
/// <c>@b</c> (party hashes under the active hash key version), <c>@parties</c> (both parties' hashes under every configured
/// version, so a reservation not yet re-hashed after a hash key rotation still counts), <c>@limit</c>. The <c>state = 'Available'</c> literal matches the partial indexes.
/// </summary>
public static class NumberSelectionSql
{
    /// <summary>Least-loaded available numbers of one city on which neither party is reserved (ix_pool_numbers_pick_city).</summary>
    public const string PickInCity = """
        SELECT n.secret_no, n.city FROM pool_numbers n
        WHERE n.pool_key = @pool AND n.state = 'Available' AND n.city = @city AND n.active_pairs < @max
          AND NOT EXISTS (SELECT 1 FROM number_reservations r WHERE r.secret_no = n.secret_no AND r.party_hash = ANY(@parties))
        ORDER BY n.active_pairs, n.secret_no
        LIMIT @limit
        """;

    /// <summary>As <see cref="PickInCity"/>, in any city of the pool (ix_pool_numbers_pick_any).</summary>
    public const string PickAny = """
        SELECT n.secret_no, n.city FROM pool_numbers n
        WHERE n.pool_key = @pool AND n.state = 'Available' AND n.active_pairs < @max
          AND NOT EXISTS (SELECT 1 FROM number_reservations r WHERE r.secret_no = n.secret_no AND r.party_hash = ANY(@parties))
        ORDER BY n.active_pairs, n.secret_no
        LIMIT @limit
        """;

    /// <summary>The X each party last got in the pool (A's first), when it is still free for the pair.</summary>
    public const string PickSticky = """
        SELECT n.secret_no, n.city FROM party_last_numbers p
        JOIN pool_numbers n ON n.pool_key = p.pool_key AND n.secret_no = p.secret_no
        WHERE p.pool_key = @pool AND p.party_hash IN (@a, @b)
          AND n.state = 'Available' AND n.active_pairs < @max
          AND NOT EXISTS (SELECT 1 FROM number_reservations r WHERE r.secret_no = n.secret_no AND r.party_hash = ANY(@parties))
        ORDER BY (p.party_hash = @a) DESC, p.used_at DESC
        LIMIT @limit
        """;

    /// <summary>
    /// Reserves X for both parties of a binding, in one implicit transaction (one batch): bumps the pair count only
    /// while X is available and under the limit, inserts one reservation per party (the unique index on
    /// (X, party hash) refuses a party already on X), and remembers X for sticky selection. No row inserted means X
    /// was taken meanwhile.
    /// </summary>
    public const string Reserve = """
        WITH bump AS (
            UPDATE pool_numbers SET active_pairs = active_pairs + 1, updated_at = @now
            WHERE pool_key = @pool AND secret_no = @x AND state = 'Available' AND active_pairs < @max
            RETURNING pool_key, secret_no)
        INSERT INTO number_reservations (binding_id, party_role, pool_key, secret_no, party_hash, created_at)
        SELECT @binding, v.role, bump.pool_key, bump.secret_no, v.hash, @now
        FROM bump CROSS JOIN (VALUES ('A'::char(1), @a), ('B'::char(1), @b)) AS v(role, hash)
        """;

    /// <summary>Second statement of the reserve batch: the parties' last X (sticky), only if the reservations went in.</summary>
    public const string RememberLast = """
        INSERT INTO party_last_numbers (pool_key, party_hash, secret_no, used_at)
        SELECT pool_key, party_hash, secret_no, created_at FROM number_reservations WHERE binding_id = @binding
        ON CONFLICT (pool_key, party_hash) DO UPDATE SET secret_no = EXCLUDED.secret_no, used_at = EXCLUDED.used_at
        """;

    /// <summary>Frees the reservations of ended bindings (<c>@ids</c>) and gives their pairs back to X.</summary>
    public const string Release = """
        WITH gone AS (
            DELETE FROM number_reservations WHERE binding_id = ANY(@ids)
            RETURNING binding_id, pool_key, secret_no),
        pairs AS (
            SELECT pool_key, secret_no, count(DISTINCT binding_id)::int AS n FROM gone GROUP BY pool_key, secret_no)
        UPDATE pool_numbers p SET active_pairs = GREATEST(p.active_pairs - pairs.n, 0), updated_at = now()
        FROM pairs WHERE p.pool_key = pairs.pool_key AND p.secret_no = pairs.secret_no
        """;

    /// <summary>B of an open binding changed: its reservation follows (the unique index still guards X).</summary>
    public const string MoveB = "UPDATE number_reservations SET party_hash = @hash WHERE binding_id = @binding AND party_role = 'B'";
}
