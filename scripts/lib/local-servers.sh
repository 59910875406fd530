#!/usr/bin/env bash
# shellcheck shell=bash
#
# A private PostgreSQL 15 and RabbitMQ 3.10 for BindingService, on loopback only, with their data
# under the project's own directory (<repo>/.local/, gitignored).
#
#   source scripts/lib/local-servers.sh
#   bs_local_servers_start     # start both (or reuse ones already answering on the ports)
#   bs_local_servers_stop      # stop only what bs_local_servers_start started in this shell
#
# Or as a command:  bash scripts/lib/local-servers.sh start|stop|status|psql|clean
# ('stop' there stops the .local servers whoever started them; 'clean' also deletes their data),
# or for one server: start-postgres|stop-postgres|start-rabbitmq|stop-rabbitmq (a stop keeps the data,
# so a start brings back the same databases, durable queues and persistent messages).
#
#   PostgreSQL  127.0.0.1:55432   superuser postgres / password postgres   data .local/postgres/data
#   RabbitMQ    127.0.0.1:55672   guest / guest, vhost /                   node bindingservice@localhost
#               (Erlang distribution on 127.0.0.1:55673, epmd on loopback) data .local/rabbitmq
#
# Overrides (environment, read when sourced): BINDINGSERVICE_LOCAL_DIR, BINDINGSERVICE_PG_PORT,
# BINDINGSERVICE_RABBITMQ_PORT, BINDINGSERVICE_RABBITMQ_DIST_PORT, BINDINGSERVICE_RABBITMQ_NODE,
# BINDINGSERVICE_SERVER_START_TIMEOUT (seconds, default 120).
#
# Debian packages postgresql-15 and rabbitmq-server are installed with apt-get when missing.
# PostgreSQL runs as the 'postgres' user and RabbitMQ as the 'rabbitmq' user (both refuse root).

BS_REPO_ROOT="${BS_REPO_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
BS_LOCAL_DIR="${BINDINGSERVICE_LOCAL_DIR:-$BS_REPO_ROOT/.local}"
BS_PG_PORT="${BINDINGSERVICE_PG_PORT:-55432}"
BS_PG_USER="postgres"
BS_PG_PASSWORD="postgres"
BS_PG_BIN="${BINDINGSERVICE_PG_BIN:-/usr/lib/postgresql/15/bin}"
BS_RABBIT_PORT="${BINDINGSERVICE_RABBITMQ_PORT:-55672}"
BS_RABBIT_DIST_PORT="${BINDINGSERVICE_RABBITMQ_DIST_PORT:-55673}"
BS_RABBIT_NODE="${BINDINGSERVICE_RABBITMQ_NODE:-bindingservice@localhost}"
BS_RABBIT_LIB="/usr/lib/rabbitmq/bin"
BS_START_TIMEOUT="${BINDINGSERVICE_SERVER_START_TIMEOUT:-120}"

# The connection strings the tests and the API use for these servers.
BS_PG_ADMIN_CONNECTION="Host=127.0.0.1;Port=$BS_PG_PORT;Username=$BS_PG_USER;Password=$BS_PG_PASSWORD"
BS_RABBIT_URI="amqp://guest:guest@127.0.0.1:$BS_RABBIT_PORT/"

# What this shell started (only these are stopped by bs_local_servers_stop).
BS_PG_STARTED=0
BS_RABBIT_STARTED=0
BS_RABBIT_PID=""
BS_EPMD_STARTED=0
_BS_APT_UPDATED=0

bs_log() { printf '[local-servers] %s\n' "$*" || true; }
bs_err() { printf '[local-servers] ERROR: %s\n' "$*" >&2 || true; }

_bs_is_root() { [ "$(id -u)" = 0 ]; }

# Run a command as a service user (root → runuser; otherwise as ourselves, which both servers accept).
_bs_as() {
    local user=$1
    shift
    if _bs_is_root; then
        runuser -u "$user" -- "$@"
    else
        "$@"
    fi
}

# _bs_port_open HOST PORT: something accepts TCP connections there (1 s limit).
_bs_port_open() {
    timeout 1 bash -c "exec 3<>/dev/tcp/$1/$2" 2>/dev/null
}

# _bs_amqp_answers HOST PORT: an AMQP 0-9-1 broker answers the protocol header with Connection.Start.
_bs_amqp_answers() {
    timeout 3 bash -c "exec 3<>/dev/tcp/$1/$2 && printf 'AMQP\\000\\000\\011\\001' >&3 && dd bs=4096 count=1 status=none <&3" 2>/dev/null |
        LC_ALL=C grep -a -q 'PLAIN'
}

_bs_tail() {
    local file=$1 n=${2:-40}
    if [ -f "$file" ]; then
        printf -- '----- last %s lines of %s -----\n' "$n" "$file" >&2
        tail -n "$n" "$file" >&2 || true
        printf -- '----- end of %s -----\n' "$file" >&2
    else
        printf -- '(no log at %s)\n' "$file" >&2
    fi
}

# ------------------------------------------------------------------------------------------------
# Debian packages

# bs_ensure_packages PKG... — apt-get install whatever is not installed yet (apt-get update once).
bs_ensure_packages() {
    local missing=() p
    if ! command -v dpkg-query >/dev/null 2>&1; then
        bs_err "dpkg-query not found: this script expects Debian 12; install $* yourself"
        return 1
    fi
    for p in "$@"; do
        if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
            missing+=("$p")
        fi
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=()
    if ! _bs_is_root; then
        if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
            sudo=(sudo -n)
        else
            bs_err "missing Debian packages: ${missing[*]} — install them as root (apt-get install -y ${missing[*]})"
            return 1
        fi
    fi

    bs_log "installing Debian packages: ${missing[*]}"
    # Keep the packages' own services (a 'main' cluster on 5432, a system RabbitMQ on 5672) from
    # starting during the install: we run private servers instead.
    local policy=/usr/sbin/policy-rc.d made_policy=0 rc=0
    if [ ! -e "$policy" ]; then
        if printf '#!/bin/sh\nexit 101\n' | "${sudo[@]}" tee "$policy" >/dev/null && "${sudo[@]}" chmod 755 "$policy"; then
            made_policy=1
        fi
    fi
    if [ "$_BS_APT_UPDATED" = 0 ]; then
        bs_log "apt-get update"
        if ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive timeout 600 apt-get -o DPkg::Lock::Timeout=120 update -q; then
            bs_err "apt-get update failed"
            rc=1
        fi
        _BS_APT_UPDATED=1
    fi
    if [ "$rc" = 0 ] && ! "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive timeout 1200 \
        apt-get -o DPkg::Lock::Timeout=120 install -y -q --no-install-recommends "${missing[@]}"; then
        bs_err "apt-get install ${missing[*]} failed"
        rc=1
    fi
    if [ "$made_policy" = 1 ]; then
        "${sudo[@]}" rm -f "$policy"
    fi
    return "$rc"
}

# ------------------------------------------------------------------------------------------------
# Directories

# Where the servers keep their data: <repo>/.local, unless the service users cannot reach it (a
# repository under /root, say), then a private directory under /var/tmp. Sets BS_SERVER_DIR.
bs_dirs() {
    [ -n "${BS_SERVER_DIR:-}" ] && return 0
    local dir="$BS_LOCAL_DIR"
    mkdir -p "$dir"
    # Once moved, always there: a later call (the service users may exist by now, so the check below would pass) must
    # find the servers where they were started, or "stop" would leave them running.
    if [ -f "$dir/servers-location.txt" ]; then
        local moved
        moved=$(head -n 1 "$dir/servers-location.txt")
        if [ -n "$moved" ] && [ -d "$moved" ]; then
            dir="$moved"
        fi
    fi
    if [ "$dir" = "$BS_LOCAL_DIR" ] && _bs_is_root; then
        if ! runuser -u postgres -- test -x "$dir" 2>/dev/null || ! runuser -u rabbitmq -- test -x "$dir" 2>/dev/null; then
            chmod 755 "$dir" 2>/dev/null || true
        fi
        if ! runuser -u postgres -- test -x "$dir" 2>/dev/null || ! runuser -u rabbitmq -- test -x "$dir" 2>/dev/null; then
            local hash fallback
            hash=$(printf '%s' "$BS_LOCAL_DIR" | sha1sum | cut -c1-12)
            fallback="/var/tmp/bindingservice-$hash"
            bs_log "the postgres/rabbitmq users cannot enter $dir (a parent directory is private); keeping the server data in $fallback"
            mkdir -p "$fallback"
            chmod 755 "$fallback"
            printf '%s\n' "$fallback" >"$dir/servers-location.txt"
            dir="$fallback"
        fi
    fi
    BS_SERVER_DIR="$dir"
    BS_PG_DIR="$dir/postgres"
    BS_PG_DATA="$dir/postgres/data"
    BS_PG_LOG="$dir/postgres/postgres.log"
    BS_RABBIT_DIR="$dir/rabbitmq"
    BS_RABBIT_LOG="$dir/rabbitmq/log/$BS_RABBIT_NODE.log"
    BS_RABBIT_OUT="$dir/rabbitmq/server.out"
}

# ------------------------------------------------------------------------------------------------
# PostgreSQL

bs_postgres_ready() {
    [ -x "$BS_PG_BIN/pg_isready" ] || return 1
    "$BS_PG_BIN/pg_isready" -q -h 127.0.0.1 -p "$BS_PG_PORT" -t 2 >/dev/null 2>&1
}

# bs_psql ARGS... — psql as the superuser against the local server.
bs_psql() {
    PGPASSWORD="$BS_PG_PASSWORD" PGCONNECT_TIMEOUT=5 "$BS_PG_BIN/psql" -X -v ON_ERROR_STOP=1 \
        -h 127.0.0.1 -p "$BS_PG_PORT" -U "$BS_PG_USER" "$@"
}

# bs_postgres_ensure_database NAME
bs_postgres_ensure_database() {
    local name=$1
    if [ "$(bs_psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '$name'")" != 1 ]; then
        bs_log "creating database $name"
        bs_psql -d postgres -qc "CREATE DATABASE \"$name\""
    fi
}

bs_postgres_start() {
    if [ ! -x "$BS_PG_BIN/postgres" ] || [ ! -x "$BS_PG_BIN/psql" ]; then
        bs_ensure_packages postgresql-15 postgresql-client-15 || return 1
    fi
    if [ ! -x "$BS_PG_BIN/postgres" ]; then
        bs_err "PostgreSQL binaries not found in $BS_PG_BIN after installing postgresql-15"
        return 1
    fi

    if bs_postgres_ready; then
        bs_log "PostgreSQL already answers on 127.0.0.1:$BS_PG_PORT: reusing it (it stays running)"
        return 0
    fi
    if _bs_port_open 127.0.0.1 "$BS_PG_PORT"; then
        bs_err "port 127.0.0.1:$BS_PG_PORT is taken by something that is not a ready PostgreSQL; free it or set BINDINGSERVICE_PG_PORT"
        return 1
    fi

    bs_dirs
    mkdir -p "$BS_PG_DIR"
    if _bs_is_root; then chown postgres:postgres "$BS_PG_DIR"; fi
    chmod 700 "$BS_PG_DIR"

    if [ ! -s "$BS_PG_DATA/PG_VERSION" ]; then
        bs_log "initialising a PostgreSQL cluster in $BS_PG_DATA"
        rm -rf "$BS_PG_DATA"
        local pwfile="$BS_PG_DIR/.pwfile"
        (umask 077 && printf '%s\n' "$BS_PG_PASSWORD" >"$pwfile")
        if _bs_is_root; then chown postgres:postgres "$pwfile"; fi
        if ! _bs_as postgres "$BS_PG_BIN/initdb" -D "$BS_PG_DATA" -U "$BS_PG_USER" --pwfile="$pwfile" \
            --auth-local=trust --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$BS_PG_DIR/initdb.log" 2>&1; then
            rm -f "$pwfile"
            bs_err "initdb failed"
            _bs_tail "$BS_PG_DIR/initdb.log"
            return 1
        fi
        rm -f "$pwfile"
        printf "\n# BindingService local server settings (rewritten on every start)\ninclude_if_exists = 'bindingservice.conf'\n" \
            >>"$BS_PG_DATA/postgresql.conf"
    fi

    # Settings for this start: loopback only, our port, no Unix socket (paths can be too long).
    cat >"$BS_PG_DATA/bindingservice.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $BS_PG_PORT
unix_socket_directories = ''
max_connections = 200
shared_buffers = 128MB
synchronous_commit = off
log_min_messages = warning
log_line_prefix = '%m [%p] '
CONF
    if _bs_is_root; then chown postgres:postgres "$BS_PG_DATA/bindingservice.conf" "$BS_PG_DATA/postgresql.conf"; fi

    bs_log "starting PostgreSQL 15 on 127.0.0.1:$BS_PG_PORT (data $BS_PG_DATA, log $BS_PG_LOG)"
    # setsid: a Ctrl-C in the calling terminal does not reach the server; we stop it ourselves.
    local runas=()
    if _bs_is_root; then runas=(runuser -u postgres --); fi
    if ! setsid -w "${runas[@]}" "$BS_PG_BIN/pg_ctl" -D "$BS_PG_DATA" -l "$BS_PG_LOG" -w -t "$BS_START_TIMEOUT" start \
        >"$BS_PG_DIR/pg_ctl.out" 2>&1 </dev/null; then
        bs_err "PostgreSQL did not start within ${BS_START_TIMEOUT}s"
        cat "$BS_PG_DIR/pg_ctl.out" >&2 || true
        _bs_tail "$BS_PG_LOG"
        # pg_ctl may have left a half-started server behind: stop it.
        _bs_as postgres "$BS_PG_BIN/pg_ctl" -D "$BS_PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
        return 1
    fi
    BS_PG_STARTED=1

    local deadline=$((SECONDS + BS_START_TIMEOUT))
    until bs_postgres_ready; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            bs_err "PostgreSQL is not accepting connections on 127.0.0.1:$BS_PG_PORT after ${BS_START_TIMEOUT}s"
            _bs_tail "$BS_PG_LOG"
            return 1
        fi
        sleep 1
    done
    if ! bs_psql -d postgres -Atqc 'SELECT 1' >/dev/null 2>"$BS_PG_DIR/psql.err"; then
        bs_err "PostgreSQL is up but the login postgres/postgres failed:"
        cat "$BS_PG_DIR/psql.err" >&2
        return 1
    fi
    bs_log "PostgreSQL is ready"
}

# Stop the server of our data directory (whoever started it).
_bs_postgres_stop_data_dir() {
    bs_dirs
    [ -s "$BS_PG_DATA/PG_VERSION" ] && [ -x "$BS_PG_BIN/pg_ctl" ] || return 0
    if _bs_as postgres "$BS_PG_BIN/pg_ctl" -D "$BS_PG_DATA" status >/dev/null 2>&1; then
        bs_log "stopping PostgreSQL ($BS_PG_DATA)"
        if ! _bs_as postgres "$BS_PG_BIN/pg_ctl" -D "$BS_PG_DATA" -m fast -w -t 60 stop >/dev/null 2>&1; then
            bs_err "PostgreSQL did not stop within 60 s; stopping it in immediate mode"
            _bs_as postgres "$BS_PG_BIN/pg_ctl" -D "$BS_PG_DATA" -m immediate -w -t 30 stop >/dev/null 2>&1 || _bs_tail "$BS_PG_LOG"
        fi
    fi
}

bs_postgres_stop() {
    [ "$BS_PG_STARTED" = 1 ] || return 0
    _bs_postgres_stop_data_dir
    BS_PG_STARTED=0
}

# ------------------------------------------------------------------------------------------------
# RabbitMQ

# The environment our node and its CLI tools share (node name, config, cookie in HOME, epmd address).
_bs_rabbit_env() {
    printf '%s\n' \
        "HOME=$BS_RABBIT_DIR/home" \
        "RABBITMQ_NODENAME=$BS_RABBIT_NODE" \
        "RABBITMQ_NODE_IP_ADDRESS=127.0.0.1" \
        "RABBITMQ_NODE_PORT=$BS_RABBIT_PORT" \
        "RABBITMQ_DIST_PORT=$BS_RABBIT_DIST_PORT" \
        "RABBITMQ_MNESIA_BASE=$BS_RABBIT_DIR/mnesia" \
        "RABBITMQ_LOG_BASE=$BS_RABBIT_DIR/log" \
        "RABBITMQ_PID_FILE=$BS_RABBIT_DIR/rabbitmq.pid" \
        "RABBITMQ_CONFIG_FILE=$BS_RABBIT_DIR/rabbitmq.conf" \
        "RABBITMQ_ADVANCED_CONFIG_FILE=$BS_RABBIT_DIR/advanced.config" \
        "RABBITMQ_CONF_ENV_FILE=$BS_RABBIT_DIR/rabbitmq-env.conf" \
        "RABBITMQ_ENABLED_PLUGINS_FILE=$BS_RABBIT_DIR/enabled_plugins" \
        "RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS=-kernel inet_dist_use_interface {127,0,0,1}" \
        "ERL_EPMD_ADDRESS=127.0.0.1"
}

# _bs_rabbit_cmd ARRAY_NAME COMMAND... — fills the array with the full command line that runs
# COMMAND as 'rabbitmq' with our node's environment.
_bs_rabbit_cmd() {
    local -n _out=$1
    shift
    local envs=()
    mapfile -t envs < <(_bs_rabbit_env)
    _out=()
    if _bs_is_root; then _out+=(runuser -u rabbitmq --); fi
    _out+=(env "${envs[@]}" "$@")
}

# _bs_rabbit_cli SECONDS TOOL ARGS... — rabbitmqctl / rabbitmq-diagnostics against our node, with a time limit.
_bs_rabbit_cli() {
    local limit=$1 tool=$2
    shift 2
    bs_dirs
    local cmd=()
    _bs_rabbit_cmd cmd timeout "$limit" "$BS_RABBIT_LIB/$tool" -n "$BS_RABBIT_NODE" "$@"
    (cd "$BS_RABBIT_DIR" 2>/dev/null || cd /; "${cmd[@]}")
}

# bs_rabbitmqctl ARGS... — e.g. bs_rabbitmqctl status
bs_rabbitmqctl() { _bs_rabbit_cli 120 rabbitmqctl "$@"; }

bs_rabbitmq_node_answers() {
    bs_dirs
    [ -s "$BS_RABBIT_DIR/home/.erlang.cookie" ] || return 1
    _bs_rabbit_cli 30 rabbitmq-diagnostics -q ping --timeout 10 >/dev/null 2>&1
}

_bs_epmd_running() {
    command -v epmd >/dev/null 2>&1 && ERL_EPMD_ADDRESS=127.0.0.1 timeout 5 epmd -names >/dev/null 2>&1
}

_bs_rabbit_server_pid() {
    [ -s "$BS_RABBIT_DIR/rabbitmq.pid" ] && head -n1 "$BS_RABBIT_DIR/rabbitmq.pid" | tr -dc '0-9'
}

bs_rabbitmq_start() {
    if [ ! -x "$BS_RABBIT_LIB/rabbitmq-server" ]; then
        bs_ensure_packages rabbitmq-server || return 1
    fi

    if _bs_amqp_answers 127.0.0.1 "$BS_RABBIT_PORT"; then
        bs_log "RabbitMQ already answers on 127.0.0.1:$BS_RABBIT_PORT: reusing it (it stays running)"
        return 0
    fi
    if _bs_port_open 127.0.0.1 "$BS_RABBIT_PORT"; then
        bs_err "port 127.0.0.1:$BS_RABBIT_PORT is taken by something that does not speak AMQP; free it or set BINDINGSERVICE_RABBITMQ_PORT"
        return 1
    fi
    if _bs_port_open 127.0.0.1 "$BS_RABBIT_DIST_PORT"; then
        bs_err "port 127.0.0.1:$BS_RABBIT_DIST_PORT (Erlang distribution) is taken; free it or set BINDINGSERVICE_RABBITMQ_DIST_PORT"
        return 1
    fi

    bs_dirs
    local dir=$BS_RABBIT_DIR
    mkdir -p "$dir/home" "$dir/mnesia" "$dir/log"
    if [ ! -s "$dir/home/.erlang.cookie" ]; then
        # tr ends on SIGPIPE once head has its 20 characters: not a failure, also under 'set -o pipefail' (and not
        # worth its 'write error' on stderr).
        (set +o pipefail; umask 077 && LC_ALL=C tr -dc '[:upper:]' </dev/urandom 2>/dev/null | head -c 20 >"$dir/home/.erlang.cookie")
    fi
    chmod 400 "$dir/home/.erlang.cookie"
    cat >"$dir/rabbitmq.conf" <<CONF
# BindingService local RabbitMQ (rewritten on every start)
listeners.tcp.default = 127.0.0.1:$BS_RABBIT_PORT
loopback_users.guest = true
disk_free_limit.absolute = 50MB
log.file.level = info
log.console = false
CONF
    printf '[].\n' >"$dir/enabled_plugins"
    : >"$dir/rabbitmq-env.conf"
    rm -f "$dir/rabbitmq.pid"
    if _bs_is_root; then chown -R rabbitmq:rabbitmq "$dir"; fi

    if _bs_epmd_running; then BS_EPMD_STARTED=0; else BS_EPMD_STARTED=1; fi

    local cmd=()
    _bs_rabbit_cmd cmd "$BS_RABBIT_LIB/rabbitmq-server"
    bs_log "starting RabbitMQ on 127.0.0.1:$BS_RABBIT_PORT (node $BS_RABBIT_NODE, distribution 127.0.0.1:$BS_RABBIT_DIST_PORT, data $dir, log $BS_RABBIT_LOG)"
    # setsid: a Ctrl-C in the calling terminal does not reach the broker; we stop it ourselves.
    (cd "$dir" && exec setsid -w "${cmd[@]}" >"$BS_RABBIT_OUT" 2>&1 </dev/null) &
    BS_RABBIT_PID=$!
    BS_RABBIT_STARTED=1

    local deadline=$((SECONDS + BS_START_TIMEOUT)) started=$SECONDS tries=0
    while :; do
        if ! kill -0 "$BS_RABBIT_PID" 2>/dev/null; then
            bs_err "RabbitMQ exited during start-up"
            BS_RABBIT_STARTED=0
            _bs_tail "$BS_RABBIT_OUT"
            _bs_tail "$BS_RABBIT_LOG"
            return 1
        fi
        if bs_rabbitmq_node_answers; then
            break
        fi
        if [ "$SECONDS" -ge "$deadline" ]; then
            bs_err "RabbitMQ node $BS_RABBIT_NODE did not answer within ${BS_START_TIMEOUT}s"
            _bs_tail "$BS_RABBIT_OUT"
            _bs_tail "$BS_RABBIT_LOG"
            return 1
        fi
        tries=$((tries + 1))
        if [ $((tries % 3)) = 0 ]; then bs_log "waiting for RabbitMQ… ($((SECONDS - started))s)"; fi
        sleep 1
    done
    local remaining=$((deadline - SECONDS))
    [ "$remaining" -lt 10 ] && remaining=10
    if ! _bs_rabbit_cli $((remaining + 10)) rabbitmqctl -q await_startup --timeout "$remaining" >/dev/null 2>"$dir/await.err"; then
        bs_err "RabbitMQ did not finish booting within ${BS_START_TIMEOUT}s"
        cat "$dir/await.err" >&2 || true
        _bs_tail "$BS_RABBIT_LOG"
        return 1
    fi
    until _bs_amqp_answers 127.0.0.1 "$BS_RABBIT_PORT"; do
        if [ "$SECONDS" -ge "$deadline" ]; then
            bs_err "RabbitMQ booted but 127.0.0.1:$BS_RABBIT_PORT does not accept connections"
            _bs_tail "$BS_RABBIT_LOG"
            return 1
        fi
        sleep 1
    done
    bs_log "RabbitMQ is ready ($((SECONDS - started))s)"
}

# Stop our node (whoever started it).
_bs_rabbitmq_stop_node() {
    bs_dirs
    local pid
    pid=$(_bs_rabbit_server_pid || true)
    if bs_rabbitmq_node_answers; then
        bs_log "stopping RabbitMQ (node $BS_RABBIT_NODE)"
        local args=(-q stop)
        [ -n "$pid" ] && args+=("$BS_RABBIT_DIR/rabbitmq.pid")
        _bs_rabbit_cli 90 rabbitmqctl "${args[@]}" >/dev/null 2>&1 || bs_err "rabbitmqctl stop failed or timed out"
    fi
    # Whatever is still alive of the broker's OS process: terminate, then kill.
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid" 2>/dev/null || true; fi
    fi
}

bs_rabbitmq_stop() {
    [ "$BS_RABBIT_STARTED" = 1 ] || return 0
    _bs_rabbitmq_stop_node
    if [ -n "$BS_RABBIT_PID" ]; then
        for _ in $(seq 1 20); do kill -0 "$BS_RABBIT_PID" 2>/dev/null || break; sleep 1; done
        if kill -0 "$BS_RABBIT_PID" 2>/dev/null; then kill -TERM "$BS_RABBIT_PID" 2>/dev/null || true; fi
        wait "$BS_RABBIT_PID" 2>/dev/null || true
    fi
    # The epmd our node started, if no other Erlang node uses it now.
    if [ "$BS_EPMD_STARTED" = 1 ] && _bs_epmd_running; then
        if ! ERL_EPMD_ADDRESS=127.0.0.1 timeout 5 epmd -names 2>/dev/null | grep -q '^name '; then
            ERL_EPMD_ADDRESS=127.0.0.1 timeout 5 epmd -kill >/dev/null 2>&1 || true
        fi
    fi
    BS_RABBIT_STARTED=0
    BS_RABBIT_PID=""
    BS_EPMD_STARTED=0
}

# ------------------------------------------------------------------------------------------------
# Both

bs_local_servers_start() {
    bs_dirs
    bs_postgres_start || return 1
    bs_rabbitmq_start || return 1
}

# Stop what this shell started, RabbitMQ first.
bs_local_servers_stop() {
    bs_rabbitmq_stop || true
    bs_postgres_stop || true
}

bs_local_servers_status() {
    bs_dirs
    if bs_postgres_ready; then
        echo "PostgreSQL  127.0.0.1:$BS_PG_PORT  up    $BS_PG_ADMIN_CONNECTION"
    else
        echo "PostgreSQL  127.0.0.1:$BS_PG_PORT  down"
    fi
    if _bs_amqp_answers 127.0.0.1 "$BS_RABBIT_PORT"; then
        echo "RabbitMQ    127.0.0.1:$BS_RABBIT_PORT  up    $BS_RABBIT_URI (node $BS_RABBIT_NODE)"
    else
        echo "RabbitMQ    127.0.0.1:$BS_RABBIT_PORT  down"
    fi
    echo "data: $BS_SERVER_DIR"
    echo "logs: $BS_PG_LOG"
    echo "      $BS_RABBIT_LOG"
    echo "      $BS_RABBIT_OUT"
}

# ------------------------------------------------------------------------------------------------
# As a command

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    set -euo pipefail
    case "${1:-}" in
        start)
            bs_local_servers_start
            echo
            echo "export BINDINGSERVICE_TEST_POSTGRES=\"$BS_PG_ADMIN_CONNECTION\""
            echo "export BINDINGSERVICE_TEST_RABBITMQ=\"$BS_RABBIT_URI\""
            echo "(left running; stop them with: bash scripts/lib/local-servers.sh stop)"
            ;;
        stop)
            _bs_rabbitmq_stop_node
            _bs_postgres_stop_data_dir
            bs_log "stopped"
            ;;
        # One server at a time (the fault tests stop and start a private instance, chosen by the overrides).
        start-postgres) bs_postgres_start ;;
        stop-postgres) _bs_postgres_stop_data_dir ;;
        start-rabbitmq) bs_rabbitmq_start ;;
        stop-rabbitmq) _bs_rabbitmq_stop_node ;;
        status) bs_local_servers_status ;;
        psql)
            shift
            bs_psql -d "${1:-postgres}" "${@:2}"
            ;;
        clean)
            _bs_rabbitmq_stop_node
            _bs_postgres_stop_data_dir
            bs_log "deleting $BS_SERVER_DIR/postgres and $BS_SERVER_DIR/rabbitmq"
            rm -rf "${BS_SERVER_DIR:?}/postgres" "${BS_SERVER_DIR:?}/rabbitmq"
            ;;
        *)
            echo "usage: bash scripts/lib/local-servers.sh start|stop|start-postgres|stop-postgres|start-rabbitmq|stop-rabbitmq|status|psql [database]|clean" >&2
            exit 2
            ;;
    esac
fi
