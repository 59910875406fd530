#!/usr/bin/env bash
#
# THE test command (README, CI): builds the solution once and runs every test project.
#
#   scripts/test.sh                              # everything
#   scripts/test.sh --filter 'FullyQualifiedName~Binding'   # extra args go to every `dotnet test`
#
# PostgreSQL and RabbitMQ for the integration tests, first match wins:
#   1. BINDINGSERVICE_TEST_POSTGRES and BINDINGSERVICE_TEST_RABBITMQ, when both are set;
#   2. Testcontainers, when a Docker engine answers (`docker info`): both left unset;
#   3. otherwise private local servers (scripts/lib/local-servers.sh): PostgreSQL on 127.0.0.1:55432
#      and RabbitMQ on 127.0.0.1:55672, reused when already running, stopped at the end when this
#      script started them.
#
# Results: artifacts/test-results/<Project>.trx, a per-project table, and the last line
# "N passed, N failed, N skipped". Exits non-zero when the build fails, a test fails, a test
# project crashes or times out, or no test ran at all.
#
# Knobs: BINDINGSERVICE_TEST_PROJECT_TIMEOUT (seconds per test project, default 1800),
#        BINDINGSERVICE_TEST_HANG_TIMEOUT (one test's limit, default 10m; "off" disables),
#        BINDINGSERVICE_USE_LOCAL_SERVERS=1 (skip the Docker probe and start local servers).
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO_ROOT"
export BS_REPO_ROOT="$REPO_ROOT"
# shellcheck source=SCRIPTDIR/lib/local-servers.sh
source "$REPO_ROOT/scripts/lib/local-servers.sh"
# shellcheck source=SCRIPTDIR/lib/trx.sh
source "$REPO_ROOT/scripts/lib/trx.sh"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
export DOTNET_CLI_UI_LANGUAGE=en

RESULTS_DIR="$REPO_ROOT/artifacts/test-results"
PROJECT_TIMEOUT="${BINDINGSERVICE_TEST_PROJECT_TIMEOUT:-1800}"
HANG_TIMEOUT="${BINDINGSERVICE_TEST_HANG_TIMEOUT:-10m}"

log() { printf '[test.sh] %s\n' "$*" || true; }

cleaned_up=0
cleanup() {
    [ "$cleaned_up" = 1 ] && return 0
    cleaned_up=1
    set +e  # best effort: a failed write (the reader is gone) must not end the clean-up
    trap "" INT TERM  # a second Ctrl-C must not cut the clean-up short (it is time-limited)
    bs_local_servers_stop
    if [ "${CI:-}" = true ]; then
        dotnet build-server shutdown >/dev/null 2>&1 || true
    fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
# A reader that went away (`| tee`, `| less` closed by the same Ctrl-C) must not kill this script
# before its EXIT trap has stopped what it started: bash does not run EXIT traps when a signal kills it.
trap '' PIPE

# The closing line: stop servers first so that nothing is printed after it.
finish() {
    local passed=$1 failed=$2 skipped=$3 code=$4
    cleanup
    echo "$passed passed, $failed failed, $skipped skipped"
    exit "$code"
}

started=$SECONDS

# ---------------------------------------------------------------------------------------------
# Tools: docker-compose (the deployment tests validate docker-compose.yml with it).
if ! command -v docker-compose >/dev/null 2>&1; then
    bs_ensure_packages docker-compose || { log "could not install docker-compose"; finish 0 0 0 1; }
fi

# ---------------------------------------------------------------------------------------------
# PostgreSQL and RabbitMQ for the integration tests.
if [ -n "${BINDINGSERVICE_TEST_POSTGRES:-}" ] && [ -n "${BINDINGSERVICE_TEST_RABBITMQ:-}" ]; then
    log "using the servers given in BINDINGSERVICE_TEST_POSTGRES / BINDINGSERVICE_TEST_RABBITMQ"
elif [ "${BINDINGSERVICE_USE_LOCAL_SERVERS:-}" != 1 ] && command -v docker >/dev/null 2>&1 && timeout 20 docker info >/dev/null 2>&1; then
    log "a Docker engine answers: the integration tests start their own containers (Testcontainers)"
    unset BINDINGSERVICE_TEST_POSTGRES BINDINGSERVICE_TEST_RABBITMQ
else
    log "no Docker engine: starting local PostgreSQL and RabbitMQ (data in .local/)"
    if [ -z "${BINDINGSERVICE_TEST_POSTGRES:-}" ]; then
        bs_postgres_start || { log "PostgreSQL could not be started"; finish 0 0 0 1; }
        export BINDINGSERVICE_TEST_POSTGRES="$BS_PG_ADMIN_CONNECTION"
    fi
    if [ -z "${BINDINGSERVICE_TEST_RABBITMQ:-}" ]; then
        bs_rabbitmq_start || { log "RabbitMQ could not be started"; finish 0 0 0 1; }
        export BINDINGSERVICE_TEST_RABBITMQ="$BS_RABBIT_URI"
    fi
fi

# ---------------------------------------------------------------------------------------------
# Build once.
log "dotnet tool restore"
if ! timeout 600 dotnet tool restore; then
    log "dotnet tool restore failed"
    finish 0 0 0 1
fi

build_args=(build BindingService.sln -c Release -nologo)
if [ "${CI:-}" = true ]; then build_args+=(-nodeReuse:false); fi
log "dotnet ${build_args[*]}"
build_started=$SECONDS
if ! timeout 1800 dotnet "${build_args[@]}"; then
    log "BUILD FAILED (no tests were run)"
    finish 0 0 0 1
fi
log "build finished in $((SECONDS - build_started))s"

# ---------------------------------------------------------------------------------------------
# Every test project, one after the other.
mkdir -p "$RESULTS_DIR"
rm -rf "${RESULTS_DIR:?}"/*

mapfile -t projects < <(find tests -mindepth 2 -maxdepth 2 -name '*.csproj' | LC_ALL=C sort)
if [ ${#projects[@]} -eq 0 ]; then
    log "no test projects found under tests/"
    finish 0 0 0 1
fi

test_args=(--no-build -c Release --nologo --results-directory "$RESULTS_DIR")
if [ "$HANG_TIMEOUT" != off ]; then
    test_args+=(--blame-hang-timeout "$HANG_TIMEOUT" --blame-hang-dump-type none)
fi

total_passed=0 total_failed=0 total_skipped=0 total_run=0 broken=0
rows=()
fault_lines=()
for project in "${projects[@]}"; do
    name=$(basename "$project" .csproj)
    trx="$RESULTS_DIR/$name.trx"
    log "dotnet test $project $*"
    project_started=$SECONDS
    rc=0
    timeout -k 30 "$PROJECT_TIMEOUT" dotnet test "$project" "${test_args[@]}" \
        --logger "trx;LogFileName=$name.trx" "$@" || rc=$?
    seconds=$((SECONDS - project_started))

    status=ok passed=0 failed=0 skipped=0
    if counts=$(bs_trx_counts "$trx"); then
        read -r total passed failed skipped outcome <<<"$counts"
        total_run=$((total_run + passed + failed))
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
            status="TIMED OUT after ${PROJECT_TIMEOUT}s"
            broken=1
        elif [ "$failed" -gt 0 ]; then
            status=FAILED
        elif [ "$rc" != 0 ]; then
            status="CRASHED (exit $rc, outcome $outcome)"
            broken=1
        elif [ "$total" = 0 ]; then
            status="no tests"
        fi
    else
        if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
            status="TIMED OUT after ${PROJECT_TIMEOUT}s, no results"
        else
            status="CRASHED (exit $rc, no results file)"
        fi
        broken=1
    fi
    while IFS= read -r line; do
        [ -n "$line" ] && fault_lines+=("$line")
    done < <(bs_trx_fault_lines "$trx")
    total_passed=$((total_passed + passed))
    total_failed=$((total_failed + failed))
    total_skipped=$((total_skipped + skipped))
    rows+=("$(printf '%-40s %7s %7s %8s %7s  %s' "$name" "$passed" "$failed" "$skipped" "${seconds}s" "$status")")
done

echo
echo "Test results (TRX files in artifacts/test-results/)"
printf '%-40s %7s %7s %8s %7s  %s\n' project passed failed skipped time status
printf '%s\n' "${rows[@]}"
printf '%-40s %7s %7s %8s %7s\n' total "$total_passed" "$total_failed" "$total_skipped" "$((SECONDS - started))s"
echo
if [ "${#fault_lines[@]}" -gt 0 ]; then
    echo "Fault tests (issue 5): what each one counted"
    printf '  %s\n' "${fault_lines[@]}" | sort -s -k1,1
    echo
fi

code=0
if [ "$total_failed" -gt 0 ]; then
    log "some tests failed"
    code=1
fi
if [ "$broken" = 1 ]; then
    log "a test project crashed or timed out (see its output above)"
    code=1
fi
if [ "$total_run" = 0 ]; then
    log "no test ran"
    code=1
fi
finish "$total_passed" "$total_failed" "$total_skipped" "$code"
