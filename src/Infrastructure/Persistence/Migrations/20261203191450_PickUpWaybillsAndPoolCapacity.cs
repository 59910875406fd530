using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace BindingService.Infrastructure.Persistence.Migrations
{
    /// <inheritdoc />
    public partial class PickUpWaybillsAndPoolCapacity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "pickup_waybills",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "uuid", nullable: false),
                    caller_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    order_id = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    binding_id = table.Column<Guid>(type: "uuid", nullable: false),
                    status = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    outer_order_code = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    courier_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    mail_no = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    pick_up_code = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: true),
                    pick_up_kind = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    appointment_start = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    appointment_end = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true),
                    sender_name_masked = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    sender_phone_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    consignee_name_masked = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    consignee_phone_cipher = table.Column<byte[]>(type: "bytea", nullable: false),
                    failure_reason = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    created_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    cancelled_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pickup_waybills", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "pool_capacity_states",
                columns: table => new
                {
                    pool_key = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    low = table.Column<bool>(type: "boolean", nullable: false),
                    free_pairs = table.Column<long>(type: "bigint", nullable: false),
                    threshold = table.Column<int>(type: "integer", nullable: false),
                    changed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_pool_capacity_states", x => x.pool_key);
                });

            migrationBuilder.CreateIndex(
                name: "ix_pickup_waybills_order",
                table: "pickup_waybills",
                columns: new[] { "caller_id", "order_id", "created_at" });

            migrationBuilder.CreateIndex(
                name: "ux_pickup_waybills_open",
                table: "pickup_waybills",
                columns: new[] { "caller_id", "order_id" },
                unique: true,
                filter: "status IN ('pending', 'open')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "pickup_waybills");

            migrationBuilder.DropTable(
                name: "pool_capacity_states");
        }
    }
}
