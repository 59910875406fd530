using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class CallReceipts : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "call_records",
                columns: table => new
                {
                    call_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    secret_no = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    subs_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    binding_id = table.Column<Guid>(type: "uuid", nullable: true),
                    caller_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    business_line = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    direction = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    caller_masked = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    callee_masked = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    call_time = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    answered_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    ended_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    rang = table.Column<bool>(type: "boolean", nullable: false),
                    release_direction = table.Column<int>(type: "integer", nullable: true),
                    release_cause = table.Column<int>(type: "integer", nullable: true),
                    unconnected_cause = table.Column<int>(type: "integer", nullable: true),
                    unbound_reason = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    started = table.Column<bool>(type: "boolean", nullable: false),
                    reported = table.Column<bool>(type: "boolean", nullable: false),
                    has_recording = table.Column<bool>(type: "boolean", nullable: false),
                    transcript = table.Column<string>(type: "jsonb", nullable: true),
                    transcript_duration_ms = table.Column<long>(type: "bigint", nullable: true),
                    transcript_sentences = table.Column<int>(type: "integer", nullable: false),
                    published_events = table.Column<int>(type: "integer", nullable: false),
                    recording_url = table.Column<string>(type: "character varying(2048)", maxLength: 2048, nullable: true),
                    recording_url_expires_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_call_records", x => x.call_id);
                });

            migrationBuilder.CreateTable(
                name: "receipt_inbox",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityAlwaysColumn),
                    dedupe_key = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    message_type = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    call_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    payload = table.Column<byte[]>(type: "bytea", nullable: true),
                    problem = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: true),
                    received_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    processed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_receipt_inbox", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "ix_call_records_binding",
                table: "call_records",
                columns: new[] { "binding_id", "call_time", "call_id" });

            migrationBuilder.CreateIndex(
                name: "ix_call_records_created_at",
                table: "call_records",
                column: "created_at");

            migrationBuilder.CreateIndex(
                name: "ix_call_records_order",
                table: "call_records",
                columns: new[] { "caller_id", "business_line", "order_id", "call_time", "call_id" });

            migrationBuilder.CreateIndex(
                name: "ix_receipt_inbox_pending",
                table: "receipt_inbox",
                column: "id",
                filter: "status = 'Pending'");

            migrationBuilder.CreateIndex(
                name: "ix_receipt_inbox_received_at",
                table: "receipt_inbox",
                column: "received_at");

            migrationBuilder.CreateIndex(
                name: "ux_receipt_inbox_dedupe_key",
                table: "receipt_inbox",
                column: "dedupe_key",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "call_records");

            migrationBuilder.DropTable(
                name: "receipt_inbox");
        }
    }
}
