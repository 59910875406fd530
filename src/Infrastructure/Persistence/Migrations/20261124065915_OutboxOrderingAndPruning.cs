using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class OutboxOrderingAndPruning : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "ix_outbox_sent",
                table: "outbox_messages",
                column: "sent_at",
                filter: "sent_at IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "ix_outbox_unsent_aggregate",
                table: "outbox_messages",
                columns: new[] { "aggregate_id", "sequence" },
                filter: "sent_at IS NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_outbox_sent",
                table: "outbox_messages");

            migrationBuilder.DropIndex(
                name: "ix_outbox_unsent_aggregate",
                table: "outbox_messages");
        }
    }
}
