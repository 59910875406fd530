using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class LocalNumberSelection : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "number_reservations",
                columns: table => new
                {
                    binding_id = table.Column<Guid>(type: "uuid", nullable: false),
                    party_role = table.Column<char>(type: "char(1)", nullable: false),
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret_no = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    party_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_number_reservations", x => new { x.binding_id, x.party_role });
                    table.CheckConstraint("ck_number_reservations_party_role", "party_role IN ('A', 'B')");
                });

            migrationBuilder.CreateTable(
                name: "party_last_numbers",
                columns: table => new
                {
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    party_hash = table.Column<byte[]>(type: "bytea", nullable: false),
                    secret_no = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    used_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_party_last_numbers", x => new { x.pool_key, x.party_hash });
                });

            migrationBuilder.CreateTable(
                name: "pool_numbers",
                columns: table => new
                {
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    secret_no = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    city = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    state = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    active_pairs = table.Column<int>(type: "integer", nullable: false),
                    synced_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pool_numbers", x => new { x.pool_key, x.secret_no });
                    table.CheckConstraint("ck_pool_numbers_active_pairs", "active_pairs >= 0");
                });

            migrationBuilder.CreateIndex(
                name: "ux_number_reservations_x_party",
                table: "number_reservations",
                columns: new[] { "party_hash", "secret_no" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "ix_pool_numbers_pick_any",
                table: "pool_numbers",
                columns: new[] { "pool_key", "active_pairs", "secret_no" },
                filter: "state = 'Available'");

            migrationBuilder.CreateIndex(
                name: "ix_pool_numbers_pick_city",
                table: "pool_numbers",
                columns: new[] { "pool_key", "city", "active_pairs", "secret_no" },
                filter: "state = 'Available'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "number_reservations");

            migrationBuilder.DropTable(
                name: "party_last_numbers");

            migrationBuilder.DropTable(
                name: "pool_numbers");
        }
    }
}
