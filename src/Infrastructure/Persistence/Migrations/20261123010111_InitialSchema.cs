using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class InitialSchema : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "bindings",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    caller_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    business_line = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    product = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    party_a_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    party_b_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    expect_city = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    subs_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    secret_no = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    failure_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    version = table.Column<int>(type: "integer", nullable: false),
                    party_a_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    party_b_hash = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_bindings", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "outbox_messages",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    sequence = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    aggregate_id = table.Column<Guid>(type: "uuid", nullable: false),
                    message_type = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    payload = table.Column<string>(type: "jsonb", nullable: false),
                    occurred_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    sent_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    last_error = table.Column<string>(type: "character varying(256)", maxLength: 256, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_outbox_messages", x => x.id);
                    table.UniqueConstraint("ak_outbox_messages_sequence", x => x.sequence);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bindings_active_expiry",
                table: "bindings",
                column: "expires_at",
                filter: "status = 'Active'");

            migrationBuilder.CreateIndex(
                name: "ix_bindings_order_created",
                table: "bindings",
                columns: new[] { "caller_id", "business_line", "order_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ix_bindings_party_a_hash",
                table: "bindings",
                column: "party_a_hash");

            migrationBuilder.CreateIndex(
                name: "ix_bindings_party_b_hash",
                table: "bindings",
                column: "party_b_hash");

            migrationBuilder.CreateIndex(
                name: "ix_bindings_pending_created",
                table: "bindings",
                column: "created_at",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_bindings_secret_no_subs_id",
                table: "bindings",
                columns: new[] { "secret_no", "subs_id" });

            migrationBuilder.CreateIndex(
                name: "ux_bindings_open_order",
                table: "bindings",
                columns: new[] { "caller_id", "business_line", "order_id" },
                unique: true,
                filter: "status IN ('Pending', 'Active')");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_aggregate",
                table: "outbox_messages",
                column: "aggregate_id");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_unsent",
                table: "outbox_messages",
                column: "sequence",
                filter: "sent_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "bindings");

            migrationBuilder.DropTable(
                name: "outbox_messages");
        }
    }
}
