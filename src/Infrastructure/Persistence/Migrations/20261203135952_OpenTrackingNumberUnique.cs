using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OpenTrackingNumberUnique : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_bindings_tracking_number",
                table: "bindings");

            migrationBuilder.CreateIndex(
                name: "ux_bindings_open_tracking_number",
                table: "bindings",
                columns: new[] { "caller_id", "tracking_number" },
                unique: true,
                filter: "tracking_number IS NOT NULL AND status IN ('Pending', 'Active')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ux_bindings_open_tracking_number",
                table: "bindings");

            migrationBuilder.CreateIndex(
                name: "ix_bindings_tracking_number",
                table: "bindings",
                column: "tracking_number",
                filter: "tracking_number IS NOT NULL");
        }
    }
}
