using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class KeyRotationAndRetention : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "party_a_hash",
                table: "bindings",
                type: "bytea",
                nullable: true,
                oldClrType: typeof(byte[]),
                oldType: "bytea");

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "numbers_erased_at",
                table: "bindings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "numbers_unreadable_at",
                table: "bindings",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "ix_bindings_retention_due",
                table: "bindings",
                column: "ended_at",
                filter: "numbers_erased_at IS NULL AND status IN ('Failed', 'Released', 'Expired')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_bindings_retention_due",
                table: "bindings");

            migrationBuilder.DropColumn(
                name: "numbers_erased_at",
                table: "bindings");

            migrationBuilder.DropColumn(
                name: "numbers_unreadable_at",
                table: "bindings");

            migrationBuilder.AlterColumn<byte[]>(
                name: "party_a_hash",
                table: "bindings",
                type: "bytea",
                nullable: false,
                defaultValue: new byte[0],
                oldClrType: typeof(byte[]),
                oldType: "bytea",
                oldNullable: true);
        }
    }
}
