using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class ProductsAndLifecycle : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // AXN, AXN-extension and AXG bindings may have no party B.
            migrationBuilder.AlterColumn<byte[]>(
                name: "party_b_cipher",
                table: "bindings",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AlterColumn<byte[]>(
                name: "party_b_hash",
                table: "bindings",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AddColumn<string>(
                name: "extension",
                table: "bindings",
                type: "character varying(8)",
                maxLength: 8,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "group_id",
                table: "bindings",
                type: "bigint",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "recording_enabled",
                table: "bindings",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "call_restriction",
                table: "bindings",
                type: "character varying(24)",
                maxLength: 24,
                nullable: false,
                defaultValue: "None");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "completed_at",
                table: "bindings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "tracking_number",
                table: "bindings",
                type: "character varying(64)",
                maxLength: 64,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_bindings_tracking_number",
                table: "bindings",
                column: "tracking_number",
                filter: "tracking_number IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(name: "ix_bindings_tracking_number", table: "bindings");
            migrationBuilder.DropColumn(name: "tracking_number", table: "bindings");
            migrationBuilder.DropColumn(name: "completed_at", table: "bindings");
            migrationBuilder.DropColumn(name: "call_restriction", table: "bindings");
            migrationBuilder.DropColumn(name: "recording_enabled", table: "bindings");
            migrationBuilder.DropColumn(name: "group_id", table: "bindings");
            migrationBuilder.DropColumn(name: "extension", table: "bindings");

            // Bindings without B cannot go back to a schema that requires one.
            migrationBuilder.Sql("DELETE FROM bindings WHERE party_b_cipher IS NULL;");
            migrationBuilder.AlterColumn<byte[]>(
                name: "party_b_hash",
                table: "bindings",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);

            migrationBuilder.AlterColumn<byte[]>(
                name: "party_b_cipher",
                table: "bindings",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);
        }
    }
}
