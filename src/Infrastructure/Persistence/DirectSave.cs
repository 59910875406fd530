using System.Collections.Concurrent;
using System.Data.Common;
using System.Runtime.CompilerServices;
using System.Text;
using BindingService.Domain.Bindings;
using BindingService.Infrastructure.Persistence.Configurations;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace BindingService.Infrastructure.Persistence;

/// <summary>
/// The lifecycle's two hot saves written as one SQL statement each, without EF Core's update pipeline, which built
/// every save's SQL and parameters anew and was a quarter of the API's CPU per protect (docs/performance.md, round 5):
/// <list type="bullet">
/// <item>one <b>added binding</b> and nothing else (a protect's Pending row): <c>INSERT INTO bindings …</c>;</item>
/// <item>one <b>changed binding</b>, with at most one added outbox row of that binding (activate, change, release):
/// <c>WITH changed AS (UPDATE bindings SET … WHERE id = … AND version = … RETURNING 1) INSERT INTO outbox_messages
/// … SELECT … FROM changed RETURNING sequence</c> — the outbox row exists exactly when the update matched, in one
/// statement, so one round trip and no BEGIN/COMMIT for what EF sent as a transaction of two.</item>
/// </list>
/// Anything else (other tracked changes, work enlisted for the transaction, a transaction already open) is left to EF:
/// <see cref="TrySaveAsync"/> answers false. The statements are built from the EF model, once per model and shape
/// (which columns changed), so a column mapped in the model cannot be missing from them, and values pass through the
/// model's own type mappings and converters (the numbers are encrypted exactly as EF would). Failures are reported as
/// EF reports them: <see cref="DbUpdateConcurrencyException"/> when the update matched no row (a lost race),
/// <see cref="DbUpdateException"/> around the database's error otherwise; transient errors are retried by the
/// context's execution strategy as EF's own save is. DirectSaveTests compare what it writes with what EF reads back.
/// </summary>
internal static class DirectSave
{
    private static readonly ConditionalWeakTable<IModel, Statements> PerModel = [];

    /// <summary>
    /// Writes the context's pending changes if they are one of the two shapes above (then true: the caller accepts the
    /// changes as after EF's save), else writes nothing and answers false.
    /// </summary>
    public static async Task<bool> TrySaveAsync(BindingDbContext db, CancellationToken cancellationToken)
    {
        if (db.Database.CurrentTransaction is not null)
        {
            return false;
        }

        db.StampPartyHashes();
        EntityEntry? binding = null;
        EntityEntry? outbox = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            switch (entry.State)
            {
                case EntityState.Unchanged or EntityState.Detached:
                    continue;
                case EntityState.Added or EntityState.Modified when entry.Entity is Binding && binding is null:
                    binding = entry;
                    break;
                case EntityState.Added when entry.Entity is OutboxMessage && outbox is null:
                    outbox = entry;
                    break;
                default:
                    return false;
            }
        }

        if (binding is null
            || (binding.State == EntityState.Added && outbox is not null)
            || (outbox is not null && ((OutboxMessage)outbox.Entity).AggregateId != ((Binding)binding.Entity).Id.Value))
        {
            return false;
        }

        var statements = StatementsOf(db.Model);
        if (binding.State == EntityState.Added)
        {
            await ExecuteAsync(db, statements.Bindings.Insert(binding), [binding], cancellationToken);
            return true;
        }

        var modified = statements.Bindings.ModifiedMask(binding);
        if (modified == 0)
        {
            return outbox is null; // nothing changed and nothing to add: EF sends nothing either
        }

        await ExecuteAsync(db, statements.Update(binding, modified, outbox), outbox is null ? [binding] : [binding, outbox], cancellationToken);
        return true;
    }

    private static Statements StatementsOf(IModel model) => PerModel.GetValue(model, m => new Statements(m));

    private static Task ExecuteAsync(BindingDbContext db, Write write, IReadOnlyList<EntityEntry> entries, CancellationToken cancellationToken) =>
        db.Database.CreateExecutionStrategy().ExecuteAsync(
            (db, write, entries),
            static async (_, state, ct) =>
            {
                var (db, write, entries) = state;
                await db.Database.OpenConnectionAsync(ct);
                try
                {
                    await using var command = db.Database.GetDbConnection().CreateCommand();
                    command.CommandText = write.Sql;
                    command.CommandTimeout = db.Database.GetCommandTimeout() ?? command.CommandTimeout;
                    foreach (var (mapping, value, nullable) in write.Parameters)
                    {
                        command.Parameters.Add(mapping.CreateParameter(command, string.Empty, value, nullable));
                    }

                    var rows = await RunAsync(command, write, ct);
                    if (rows == 0 && write.NothingWritten == NothingWritten.OpenOrderTaken)
                    {
                        throw new OpenOrderTakenException(entries);
                    }

                    if (rows != 1)
                    {
                        throw new DbUpdateConcurrencyException(
                            $"The database operation was expected to affect 1 row(s), but actually affected {rows} row(s); the binding was changed or deleted since it was read.");
                    }
                }
                catch (DbException ex)
                {
                    throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", ex, entries);
                }
                finally
                {
                    await db.Database.CloseConnectionAsync();
                }

                return true;
            },
            verifySucceeded: null,
            cancellationToken);

    /// <summary>Runs the statement; the number of rows it wrote (the rows it returned when it returns the generated columns).</summary>
    private static async Task<int> RunAsync(DbCommand command, Write write, CancellationToken cancellationToken)
    {
        if (write.Generated is not { } generated)
        {
            return await command.ExecuteNonQueryAsync(cancellationToken);
        }

        var rows = 0;
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows++;
            for (var i = 0; i < generated.Columns.Length; i++)
            {
                var column = generated.Columns[i];
                var value = reader.IsDBNull(i) ? null : reader.GetValue(i);
                var property = generated.Entry.Property(column.Property);
                property.CurrentValue = column.Mapping.Converter is { } converter && value is not null ? converter.ConvertFromProvider(value) : value;
                property.IsTemporary = false;
            }
        }

        return rows;
    }

    /// <summary>A statement and its parameters in order ($1, $2, …), and the entry that takes the columns it returns.</summary>
    private sealed record Write(
        string Sql, List<(RelationalTypeMapping Mapping, object? Value, bool Nullable)> Parameters, Returned? Generated, NothingWritten NothingWritten = NothingWritten.LostRace);

    /// <summary>What it means when the statement wrote no row.</summary>
    private enum NothingWritten
    {
        /// <summary>The update's version check failed: someone changed the row first.</summary>
        LostRace,

        /// <summary>The insert met the open-order index: the order already has an open binding.</summary>
        OpenOrderTaken,
    }

    private sealed record Returned(EntityEntry Entry, Column[] Columns);

    private sealed record Column(IProperty Property, string Name, string StoreType, RelationalTypeMapping Mapping, bool Nullable);

    /// <summary>The statements of one EF model (the service builds one model per phone-key set).</summary>
    private sealed class Statements(IModel model)
    {
        private readonly ConcurrentDictionary<ulong, string> _updates = new();
        private readonly ConcurrentDictionary<ulong, string> _updatesWithEvent = new();

        public TableStatements Bindings { get; } = new(model.FindEntityType(typeof(Binding))!, doNothingOn: BindingConfiguration.OpenOrderIndex);

        public TableStatements Outbox { get; } = new(model.FindEntityType(typeof(OutboxMessage))!);

        public Write Update(EntityEntry binding, ulong modified, EntityEntry? outbox)
        {
            var parameters = new List<(RelationalTypeMapping, object?, bool)>(Bindings.UpdateParameterCount(modified) + (outbox is null ? 0 : Outbox.InsertColumnCount));
            if (outbox is null)
            {
                var sql = _updates.GetOrAdd(modified, mask => Bindings.UpdateSql(mask, returning: null));
                Bindings.AddUpdateParameters(binding, modified, parameters);
                return new Write(sql, parameters, Generated: null);
            }

            var withEvent = _updatesWithEvent.GetOrAdd(modified, mask => $"""
                WITH changed AS ({Bindings.UpdateSql(mask, returning: "1")})
                {Outbox.InsertSelectSql(firstParameter: Bindings.UpdateParameterCount(mask) + 1, from: "changed")}
                """);
            Bindings.AddUpdateParameters(binding, modified, parameters);
            Outbox.AddInsertParameters(outbox, parameters);
            return new Write(withEvent, parameters, Outbox.Returning(outbox));
        }
    }

    /// <summary>One table's columns as the model maps them, and the SQL built from them.</summary>
    private sealed class TableStatements
    {
        private readonly string _table;
        private readonly Column[] _columns;
        private readonly Column[] _written;   // sent on insert
        private readonly Column[] _generated; // made by the database on insert (an identity column), returned
        private readonly Column[] _keys;
        private readonly Column[] _tokens;
        private readonly string _insertSql;
        private readonly NothingWritten _insertWroteNothing;

        /// <param name="type">The entity type of the table.</param>
        /// <param name="doNothingOn">
        /// A unique index whose conflict is an answer, not an error: the insert then writes nothing
        /// (<c>ON CONFLICT (its columns) WHERE its filter DO NOTHING</c>) and reports <see cref="OpenOrderTakenException"/>.
        /// </param>
        public TableStatements(IEntityType type, string? doNothingOn = null)
        {
            var mapping = type.GetTableMappings().Single();
            _table = Quote(mapping.Table.Name, mapping.Table.Schema);
            _columns = [.. mapping.ColumnMappings.Select(c => new Column(c.Property, Quote(c.Column.Name), c.Column.StoreType, c.TypeMapping, c.Column.IsNullable))];
            if (_columns.Length > 64 || Array.Exists(_columns, c => c.Property.ValueGenerated is ValueGenerated.OnUpdate or ValueGenerated.OnAddOrUpdate))
            {
                throw new NotSupportedException($"{type.DisplayName()} has a column the direct save cannot write (more than 64 columns, or one the database computes on update).");
            }

            _written = [.. _columns.Where(c => c.Property.ValueGenerated == ValueGenerated.Never)];
            _generated = [.. _columns.Where(c => c.Property.ValueGenerated == ValueGenerated.OnAdd)];
            var keys = type.FindPrimaryKey()!.Properties;
            _keys = [.. _columns.Where(c => keys.Contains(c.Property))];
            _tokens = [.. _columns.Where(c => c.Property.IsConcurrencyToken)];
            _insertSql = $"INSERT INTO {_table} ({string.Join(", ", _written.Select(c => c.Name))}) VALUES ({string.Join(", ", _written.Select((_, i) => $"${i + 1}"))}){ConflictClause(type, mapping, doNothingOn)}{ReturningClause()}";
            _insertWroteNothing = doNothingOn is null ? NothingWritten.LostRace : NothingWritten.OpenOrderTaken;
        }

        /// <summary>The columns an insert writes or reads back, by name (DirectSaveTests holds them to the database's).</summary>
        public IEnumerable<string> ColumnNames => _written.Concat(_generated).Select(c => c.Name.Trim('"'));

        public Write Insert(EntityEntry entry)
        {
            var parameters = new List<(RelationalTypeMapping, object?, bool)>(_written.Length);
            AddInsertParameters(entry, parameters);
            return new Write(_insertSql, parameters, Returning(entry), _insertWroteNothing);
        }

        /// <summary>The parameters an insert sends (one per written column).</summary>
        public int InsertColumnCount => _written.Length;

        public void AddInsertParameters(EntityEntry entry, List<(RelationalTypeMapping, object?, bool)> parameters)
        {
            // One accessor of the entry's values for all columns: each EntityEntry.CurrentValues is a new object (with a
            // list of the type's complex properties), 4–5 % of all the API allocated (docs/performance.md, change 35).
            var values = entry.CurrentValues;
            foreach (var column in _written)
            {
                parameters.Add((column.Mapping, values[column.Property], column.Nullable));
            }
        }

        public Returned? Returning(EntityEntry entry) => _generated.Length == 0 ? null : new Returned(entry, _generated);

        /// <summary><c>INSERT … SELECT $n::type, … FROM <paramref name="from"/></c>: typed, as a SELECT's parameters are not typed by the target columns.</summary>
        public string InsertSelectSql(int firstParameter, string from) =>
            $"INSERT INTO {_table} ({string.Join(", ", _written.Select(c => c.Name))}) SELECT {string.Join(", ", _written.Select((c, i) => $"${firstParameter + i}::{c.StoreType}"))} FROM {from}{ReturningClause()}";

        /// <summary>Which columns of a modified entry changed, one bit per column (EF's own change detection).</summary>
        public ulong ModifiedMask(EntityEntry entry)
        {
            ulong mask = 0;
            for (var i = 0; i < _columns.Length; i++)
            {
                if (entry.Property(_columns[i].Property).IsModified)
                {
                    mask |= 1UL << i;
                }
            }

            return mask;
        }

        public int UpdateParameterCount(ulong mask) => System.Numerics.BitOperations.PopCount(mask) + _keys.Length + _tokens.Length;

        /// <summary><c>UPDATE … SET changed columns WHERE key = … AND each concurrency token = its original value</c>.</summary>
        public string UpdateSql(ulong mask, string? returning)
        {
            var sql = new StringBuilder($"UPDATE {_table} SET ");
            var n = 0;
            for (var i = 0; i < _columns.Length; i++)
            {
                if ((mask & (1UL << i)) != 0)
                {
                    sql.Append(n == 0 ? string.Empty : ", ").Append(_columns[i].Name).Append(" = $").Append(++n);
                }
            }

            sql.Append(" WHERE ").AppendJoin(" AND ", _keys.Concat(_tokens).Select(c => $"{c.Name} = ${++n}"));
            return returning is null ? sql.ToString() : sql.Append(" RETURNING ").Append(returning).ToString();
        }

        public void AddUpdateParameters(EntityEntry entry, ulong mask, List<(RelationalTypeMapping, object?, bool)> parameters)
        {
            var current = entry.CurrentValues; // one accessor each, as in AddInsertParameters
            for (var i = 0; i < _columns.Length; i++)
            {
                if ((mask & (1UL << i)) != 0)
                {
                    parameters.Add((_columns[i].Mapping, current[_columns[i].Property], _columns[i].Nullable));
                }
            }

            var original = entry.OriginalValues;
            foreach (var key in _keys)
            {
                parameters.Add((key.Mapping, original[key.Property], false));
            }

            foreach (var token in _tokens)
            {
                parameters.Add((token.Mapping, original[token.Property], token.Nullable));
            }
        }

        /// <summary><c> ON CONFLICT (columns) WHERE filter DO NOTHING</c> for the unique index named <paramref name="index"/>, or nothing.</summary>
        private static string ConflictClause(IEntityType type, ITableMapping mapping, string? index)
        {
            if (index is null)
            {
                return string.Empty;
            }

            var unique = type.GetIndexes().Single(i => i.GetDatabaseName() == index);
            if (!unique.IsUnique)
            {
                throw new NotSupportedException($"{index} is not a unique index: it cannot arbitrate an insert.");
            }

            var columns = unique.Properties.Select(p => Quote(mapping.ColumnMappings.Single(c => c.Property == p).Column.Name));
            var filter = unique.GetFilter() is { } predicate ? $" WHERE {predicate}" : string.Empty;
            return $" ON CONFLICT ({string.Join(", ", columns)}){filter} DO NOTHING";
        }

        private string ReturningClause() => _generated.Length == 0 ? string.Empty : $" RETURNING {string.Join(", ", _generated.Select(c => c.Name))}";

        private static string Quote(string name, string? schema = null) =>
            schema is null ? $"\"{name.Replace("\"", "\"\"", StringComparison.Ordinal)}\"" : $"{Quote(schema)}.{Quote(name)}";
    }

    /// <summary>The columns the direct save writes for <paramref name="entity"/>'s table in <paramref name="model"/>.</summary>
    internal static IEnumerable<string> ColumnsOf(IModel model, Type entity)
    {
        var statements = StatementsOf(model);
        return entity == typeof(Binding) ? statements.Bindings.ColumnNames
            : entity == typeof(OutboxMessage) ? statements.Outbox.ColumnNames
            : throw new ArgumentException($"The direct save does not write {entity.Name}.", nameof(entity));
    }
}

/// <summary>
/// A binding was not inserted because its order already has an open (Pending or Active) binding: the open-order unique
/// index answered, without an error at the database (<see cref="DirectSave"/>'s <c>ON CONFLICT … DO NOTHING</c>).
/// BindingRepository.TryAddAsync answers false for it, as for the unique violation EF's own save raises.
/// </summary>
internal sealed class OpenOrderTakenException(IReadOnlyList<EntityEntry> entries)
    : DbUpdateException($"The order already has an open binding ({BindingConfiguration.OpenOrderIndex}); nothing was inserted.", (Exception?)null, entries);
