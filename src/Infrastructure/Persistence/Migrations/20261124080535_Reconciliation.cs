using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class Reconciliation : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "drift_checked_at",
                table: "bindings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "reconciler_pool_scans",
                columns: table => new
                {
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    scanned_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_reconciler_pool_scans", x => x.pool_key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_bindings_active_drift_checked",
                table: "bindings",
                column: "drift_checked_at",
                filter: "status = 'Active'");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "reconciler_pool_scans");

            migrationBuilder.DropIndex(
                name: "ix_bindings_active_drift_checked",
                table: "bindings");

            migrationBuilder.DropColumn(
                name: "drift_checked_at",
                table: "bindings");
        }
    }
}
