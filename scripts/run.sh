#!/usr/bin/env bash
# shellcheck disable=SC2317  # cleanup functions are called from traps
#
# THE run command: starts BindingService on http://127.0.0.1:5080 with everything it needs.
#
#   scripts/run.sh [--no-servers] [--no-simulator] [--no-build] [--quiet]
#
# What is not configured in the environment is started here, and stopped again on Ctrl-C:
#   - ConnectionStrings__Postgres unset → a private PostgreSQL 15 on 127.0.0.1:55432 (data in .local/),
#     database "bindingservice";
#   - RabbitMq__Host unset              → a private RabbitMQ on 127.0.0.1:55672 (guest/guest, vhost /);
#   - Aliyun__AccessKeyId unset         → the bundled Aliyun simulator on http://127.0.0.1:5180.
# Servers already answering on those ports are reused and left running. Anything already set in
# the environment wins (ConnectionStrings__Postgres, RabbitMq__*, Aliyun__*, Security__*,
# ASPNETCORE_ENVIRONMENT). Then: build (Release), `BindingService.Api migrate`, start the API and
# wait for GET /health/ready = 200.
#
#   --no-servers    never start PostgreSQL/RabbitMQ (the connection settings must be in the environment)
#   --no-simulator  never start the simulator (Aliyun__* must be in the environment)
#   --no-build      use the existing Release build
#   --quiet         do not stream the API's log after start-up (it is in .local/logs/api.log)
#
# Ports: BINDINGSERVICE_API_PORT (5080), BINDINGSERVICE_SIMULATOR_PORT (5180); the server ports are
# in scripts/lib/local-servers.sh. Time limits: BINDINGSERVICE_API_START_TIMEOUT (120 s).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export BS_REPO_ROOT="$REPO_ROOT"
# shellcheck source=SCRIPTDIR/lib/local-servers.sh
source "$REPO_ROOT/scripts/lib/local-servers.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

no_servers=0 no_simulator=0 no_build=0 quiet=0
for arg in "$@"; do
    case "$arg" in
        --no-servers) no_servers=1 ;;
        --no-simulator) no_simulator=1 ;;
        --no-build) no_build=1 ;;
        --quiet) quiet=1 ;;
        -h | --help)
            sed -n '4,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'
            exit 0
            ;;
        *)
            echo "run.sh: unknown argument '$arg' (see --help)" >&2
            exit 2
            ;;
    esac
done

API_PORT="${BINDINGSERVICE_API_PORT:-5080}"
SIM_PORT="${BINDINGSERVICE_SIMULATOR_PORT:-5180}"
API_URL="http://127.0.0.1:$API_PORT"
SIM_URL="http://127.0.0.1:$SIM_PORT"
API_START_TIMEOUT="${BINDINGSERVICE_API_START_TIMEOUT:-120}"
API_DIR="$REPO_ROOT/src/Api/bin/Release/net10.0"
API_DLL="$API_DIR/BindingService.Api.dll"
SIM_DIR="$REPO_ROOT/src/AliyunSimulator/bin/Release/net10.0"
SIM_DLL="$SIM_DIR/BindingService.AliyunSimulator.dll"
LOG_DIR="$BS_LOCAL_DIR/logs"
API_LOG="$LOG_DIR/api.log"
SIM_LOG="$LOG_DIR/simulator.log"

log() { printf '[run.sh] %s\n' "$*" || true; }
die() {
    printf '[run.sh] ERROR: %s\n' "$*" >&2
    exit 1
}

api_pid="" sim_pid="" tail_pid=""

# stop_process NAME PID SECONDS — SIGTERM, wait, then SIGKILL.
stop_process() {
    local name=$1 pid=$2 limit=$3 waited=0
    [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
    log "stopping the $name (pid $pid)"
    kill -TERM "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null && [ "$waited" -lt "$limit" ]; do
        sleep 1
        waited=$((waited + 1))
    done
    if kill -0 "$pid" 2>/dev/null; then
        log "the $name did not stop within ${limit}s: killing it"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

cleaned_up=0
cleanup() {
    [ "$cleaned_up" = 1 ] && return 0
    cleaned_up=1
    set +e  # best effort: a failed write (the reader is gone) must not end the clean-up
    trap "" INT TERM  # a second Ctrl-C must not cut the clean-up short (it is time-limited)
    if [ -n "$tail_pid" ]; then kill "$tail_pid" 2>/dev/null || true; fi
    stop_process API "$api_pid" 35
    stop_process simulator "$sim_pid" 15
    bs_local_servers_stop
    log "stopped"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# A reader that went away (`| tee`, `| less` closed by the same Ctrl-C) must not kill this script
# before its EXIT trap has stopped what it started: bash does not run EXIT traps when a signal kills it.
trap '' PIPE

# ---------------------------------------------------------------------------------------------
if ! command -v curl >/dev/null 2>&1; then
    bs_ensure_packages curl || die "curl is needed to wait for the services"
fi
mkdir -p "$LOG_DIR"

if _bs_port_open 127.0.0.1 "$API_PORT"; then
    die "127.0.0.1:$API_PORT is already in use (another scripts/run.sh?); stop it or set BINDINGSERVICE_API_PORT"
fi

started_here=()
from_env=()

# PostgreSQL
if [ -z "${ConnectionStrings__Postgres:-}" ]; then
    [ "$no_servers" = 0 ] || die "--no-servers: set ConnectionStrings__Postgres"
    bs_postgres_start || die "PostgreSQL could not be started (log: $BS_PG_LOG)"
    bs_postgres_ensure_database bindingservice || die "could not create the database bindingservice"
    export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$BS_PG_PORT;Database=bindingservice;Username=$BS_PG_USER;Password=$BS_PG_PASSWORD"
    started_here+=("PostgreSQL 127.0.0.1:$BS_PG_PORT (database bindingservice)")
else
    from_env+=("ConnectionStrings__Postgres")
fi

# RabbitMQ
if [ -z "${RabbitMq__Host:-}" ]; then
    [ "$no_servers" = 0 ] || die "--no-servers: set RabbitMq__Host (and RabbitMq__Port/Username/Password/VirtualHost)"
    bs_rabbitmq_start || die "RabbitMQ could not be started (log: $BS_RABBIT_LOG)"
    export RabbitMq__Host=127.0.0.1
    export RabbitMq__Port="${RabbitMq__Port:-$BS_RABBIT_PORT}"
    export RabbitMq__Username="${RabbitMq__Username:-guest}"
    export RabbitMq__Password="${RabbitMq__Password:-guest}"
    export RabbitMq__VirtualHost="${RabbitMq__VirtualHost:-/}"
    started_here+=("RabbitMQ 127.0.0.1:$RabbitMq__Port (guest/guest)")
else
    from_env+=("RabbitMq__Host=$RabbitMq__Host")
fi

# ---------------------------------------------------------------------------------------------
if [ "$no_build" = 0 ]; then
    log "building (Release)"
    timeout 1200 dotnet build src/Api/BindingService.Api.csproj -c Release -nologo -v quiet -clp:NoSummary ||
        die "the API did not build"
fi
[ -f "$API_DLL" ] || die "$API_DLL not found (build first, or drop --no-build)"

# ---------------------------------------------------------------------------------------------
# The Aliyun simulator.
if [ -z "${Aliyun__AccessKeyId:-}" ]; then
    [ "$no_simulator" = 0 ] || die "--no-simulator: set Aliyun__Endpoint, Aliyun__AccessKeyId, Aliyun__AccessKeySecret and Aliyun__PoolKey"
    if [ "$no_build" = 0 ]; then
        timeout 1200 dotnet build src/AliyunSimulator/BindingService.AliyunSimulator.csproj -c Release -nologo -v quiet -clp:NoSummary ||
            die "the simulator did not build"
    fi
    [ -f "$SIM_DLL" ] || die "$SIM_DLL not found (build first, or drop --no-build)"
    if _bs_port_open 127.0.0.1 "$SIM_PORT"; then
        die "127.0.0.1:$SIM_PORT is already in use; stop it or set BINDINGSERVICE_SIMULATOR_PORT"
    fi
    log "starting the Aliyun simulator on $SIM_URL (log $SIM_LOG)"
    # The simulator pushes its simulated calls' receipts to the API (docs/receipts.md) with a secret made for this run.
    export Receipts__Secret="${Receipts__Secret:-$(head -c 18 /dev/urandom | base64 | tr '+/' '-_')}"
    (cd "$SIM_DIR" && Simulator__Receipts__Url="$API_URL/v1/provider-receipts/{type}?token=$Receipts__Secret" \
        exec setsid dotnet "$SIM_DLL" --urls "$SIM_URL" >"$SIM_LOG" 2>&1 </dev/null) &
    sim_pid=$!
    deadline=$((SECONDS + 60))
    # Any HTTP answer means it is up (an unsigned GET / gets a 4xx error document).
    until [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$SIM_URL/" || true)" != 000 ]; do
        if ! kill -0 "$sim_pid" 2>/dev/null; then
            _bs_tail "$SIM_LOG"
            sim_pid=""
            die "the simulator exited during start-up"
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            _bs_tail "$SIM_LOG"
            die "the simulator did not answer on $SIM_URL within 60 s"
        fi
        sleep 0.5
    done
    export Aliyun__Endpoint="$SIM_URL/"
    export Aliyun__AccessKeyId=simulator-access-key
    export Aliyun__AccessKeySecret=simulator-access-secret
    export Aliyun__PoolKey="${Aliyun__PoolKey:-FC100000000000001}"
    # The simulator's AXB pool numbers, so the reconciler walks them (docs/operations.md, "Reconciler").
    export Protection__NumberSelection__Pools__FC100000000000001__Ranges__0__Start="${Protection__NumberSelection__Pools__FC100000000000001__Ranges__0__Start:-17000000001}"
    export Protection__NumberSelection__Pools__FC100000000000001__Ranges__0__Count="${Protection__NumberSelection__Pools__FC100000000000001__Ranges__0__Count:-20}"
    started_here+=("Aliyun simulator $SIM_URL")
else
    from_env+=("Aliyun__AccessKeyId (endpoint ${Aliyun__Endpoint:-from appsettings})")
fi

export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"

# ---------------------------------------------------------------------------------------------
# Callers authenticate with a JWT (docs/security.md). Unless an issuer is configured, trust a development key kept
# under .local/auth (made on first use by `BindingService.Api dev-token`) and print a token signed by it.
AUTH_DIR="$BS_LOCAL_DIR/auth"
if [ -z "${Authentication__Authority:-}${Authentication__SigningKeys:-}${Authentication__SigningKeysFile:-}" ]; then
    TOKEN=$(cd "$API_DIR" && timeout 120 dotnet "$API_DLL" dev-token --keys "$AUTH_DIR" --caller dev --lifetime 12:00:00) \
        || die "could not make a development token (dotnet BindingService.Api.dll dev-token)"
    printf '%s\n' "$TOKEN" >"$AUTH_DIR/token"
    chmod 600 "$AUTH_DIR/token"
    export Authentication__SigningKeysFile="$AUTH_DIR/jwks.json"
    export Authentication__Issuer=bindingservice-dev
    started_here+=("a development token issuer (key in $AUTH_DIR; token in $AUTH_DIR/token, 12 h, all scopes, caller 'dev')")
else
    TOKEN=""
    from_env+=("Authentication__* (tokens come from your issuer)")
fi

# ---------------------------------------------------------------------------------------------
log "applying database migrations: dotnet BindingService.Api.dll migrate"
(cd "$API_DIR" && timeout 300 dotnet "$API_DLL" migrate) || die "the migrations failed (see the output above)"

log "starting the API on $API_URL (ASPNETCORE_ENVIRONMENT=$ASPNETCORE_ENVIRONMENT, log $API_LOG)"
# Inline socket completions as the image and the chart run the API (docs/performance.md, round 4); export it as 0 to turn it off.
(cd "$API_DIR" && DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS="${DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS:-1}" \
    exec setsid dotnet "$API_DLL" --urls "$API_URL" >"$API_LOG" 2>&1 </dev/null) &
api_pid=$!
deadline=$((SECONDS + API_START_TIMEOUT))
next_note=$((SECONDS + 10))
health_body="$LOG_DIR/health-ready.json"
while :; do
    code=$(curl -s -o "$health_body" -w '%{http_code}' --max-time 5 "$API_URL/health/ready" || true)
    [ "$code" = 200 ] && break
    if ! kill -0 "$api_pid" 2>/dev/null; then
        _bs_tail "$API_LOG" 60
        api_pid=""
        die "the API exited during start-up"
    fi
    if [ "$SECONDS" -ge "$deadline" ]; then
        _bs_tail "$API_LOG" 60
        echo "last GET /health/ready: HTTP $code $(cat "$health_body" 2>/dev/null || true)" >&2
        die "the API was not ready within ${API_START_TIMEOUT}s"
    fi
    if [ "$SECONDS" -ge "$next_note" ]; then
        log "waiting for $API_URL/health/ready (last answer: HTTP $code)"
        next_note=$((SECONDS + 10))
    fi
    sleep 1
done

cat <<EOF

================================================================================
 BindingService is running: $API_URL
   OpenAPI document    $API_URL/openapi/v1.json
   API reference (UI)  $API_URL/scalar/v1
   Health              $API_URL/health/ready
 Started here: $(if [ ${#started_here[@]} -gt 0 ]; then printf '\n   - %s' "${started_here[@]}"; else printf 'nothing'; fi)
 From the environment: $(if [ ${#from_env[@]} -gt 0 ]; then printf '\n   - %s' "${from_env[@]}"; else printf 'nothing'; fi)
 Logs: $API_LOG$(if [ -n "$sim_pid" ]; then printf ', %s' "$SIM_LOG"; fi)

 Try it (every call but /health needs the token; paste it into the API reference's "Authentication" too):
   export TOKEN=${TOKEN:-<a token from your issuer>}
   curl -i -X PUT $API_URL/v1/ride-orders/ride-1001/protection -H "Authorization: Bearer \$TOKEN" -H 'Content-Type: application/json' -d '{"passengerPhone":"13800138000","driverPhone":"13900139000","city":"北京"}'
   curl -i $API_URL/v1/ride-orders/ride-1001/protection -H "Authorization: Bearer \$TOKEN"
   curl -i -X DELETE $API_URL/v1/ride-orders/ride-1001/protection -H "Authorization: Bearer \$TOKEN"
 A new token: dotnet $API_DLL dev-token --keys $AUTH_DIR [--caller ID] [--scopes "rides deliveries bindings pools:admin"]

 Press Ctrl-C to stop (everything started here is stopped).
================================================================================

EOF

if [ "$quiet" = 0 ]; then
    tail -n 0 -F --pid="$api_pid" "$API_LOG" 2>/dev/null &
    tail_pid=$!
fi
rc=0
wait "$api_pid" || rc=$?
api_pid=""
log "the API exited (code $rc)"
_bs_tail "$API_LOG" 20
exit "$rc"
