using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OperatorsAndIdempotencyLease : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "lease_until",
                table: "idempotency_keys",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "owner_token",
                table: "idempotency_keys",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "blacklist_entries",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    first_encrypted = table.Column<byte[]>(type: "bytea", nullable: false),
                    first_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    second_encrypted = table.Column<byte[]>(type: "bytea", nullable: true),
                    second_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    reason = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true),
                    created_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    deleted_by = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    deleted_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_blacklist_entries", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "operator_audit",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    caller_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    action = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    subject = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    detail = table.Column<string>(type: "character varying(512)", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_operator_audit", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_blacklist_entries_pool",
                table: "blacklist_entries",
                columns: new[] { "pool_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ux_blacklist_entries_in_force",
                table: "blacklist_entries",
                columns: new[] { "pool_key", "kind", "first_hash", "second_hash", "direction" },
                unique: true,
                filter: "deleted_at IS NULL");

            migrationBuilder.CreateIndex(
                name: "ix_operator_audit_pool",
                table: "operator_audit",
                columns: new[] { "pool_key", "id" });

            migrationBuilder.CreateIndex(
                name: "ix_operator_audit_subject",
                table: "operator_audit",
                columns: new[] { "subject", "id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "blacklist_entries");

            migrationBuilder.DropTable(
                name: "operator_audit");

            migrationBuilder.DropColumn(
                name: "lease_until",
                table: "idempotency_keys");

            migrationBuilder.DropColumn(
                name: "owner_token",
                table: "idempotency_keys");
        }
    }
}
