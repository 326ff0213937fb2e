#!/usr/bin/env bash
# Run the command center with its demo county on http://127.0.0.1:5080 (override with CC_URL).
#   ./run.sh                  PostgreSQL 127.0.0.1:55432 + Redis 127.0.0.1:56379, data kept in .data/run/
#   ./run.sh --no-simulator   same, without the simulated patrols and incident reports
# Installs missing Debian packages (postgresql, redis-server, ffmpeg, chromium, fonts-noto-cjk, npm) on first use.
# Ctrl-C stops the app, then the PostgreSQL and Redis servers of .data/run/. The app itself creates and migrates
# the database schema at start-up (deploy/sql/); this script only provides the servers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

PG_PORT=55432
REDIS_PORT=56379
URL=${CC_URL:-http://127.0.0.1:5080}
DATA="$ROOT/.data/run"
simulator=true

for arg in "$@"; do
    case $arg in
    --no-simulator) simulator=false ;;
    -h | --help)
        sed -n '2,7s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    *)
        echo "run.sh: unknown argument '$arg' (try --help)" >&2
        exit 2
        ;;
    esac
done

cc_lock "$DATA/.lock" # one run.sh per data folder; services found running are leftovers and get adopted

app_pid=""
# shellcheck disable=SC2317  # invoked by the traps
cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    if [[ -n $app_pid ]] && kill -0 "$app_pid" 2>/dev/null; then
        cc_log "stopping the command center (pid $app_pid)"
        kill -TERM -- "-$app_pid" 2>/dev/null || kill -TERM "$app_pid" 2>/dev/null || true
        local i
        for ((i = 0; i < 600; i++)); do
            kill -0 "$app_pid" 2>/dev/null || break
            sleep 0.1
        done
        if kill -0 "$app_pid" 2>/dev/null; then
            cc_log "the command center did not stop within 60 s; killing it"
            kill -KILL -- "-$app_pid" 2>/dev/null || kill -KILL "$app_pid" 2>/dev/null || true
        fi
        wait "$app_pid" 2>/dev/null || true
    fi
    rm -f "$DATA/app.pid"
    cc_stop_redis "$DATA/redis" || rc=1
    cc_stop_postgres "$DATA/postgres" || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A run.sh that was killed outright (kill -9) leaves its app running in its own session; stop that one first.
if [[ -f $DATA/app.pid ]]; then
    old_pid=$(<"$DATA/app.pid")
    if [[ $old_pid =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$old_pid/cmdline" 2>/dev/null | grep -q 'CommandCenter.Web'; then
        cc_log "stopping a command center left over from an earlier run (pid $old_pid)"
        kill -TERM -- "-$old_pid" 2>/dev/null || kill -TERM "$old_pid" 2>/dev/null || true
        for ((i = 0; i < 600; i++)); do
            kill -0 "$old_pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL -- "-$old_pid" 2>/dev/null || true
    fi
    rm -f "$DATA/app.pid"
fi

cc_ensure_packages
# fsync stays on (the default): this is the product's data.
cc_start_postgres "$DATA/postgres" "$PG_PORT"
cc_start_redis "$DATA/redis" "$REDIS_PORT"
cc_vendor_web

cc_log "building CommandCenter.sln (Release)"
dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet

export ConnectionStrings__Postgres="Host=127.0.0.1;Port=$PG_PORT;Database=$CC_DB_NAME;Username=$CC_DB_USER;Password=$CC_DB_PASSWORD;Maximum Pool Size=100;No Reset On Close=true"
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export CommandCenter__DemoCounty=true
export CommandCenter__Simulator__Enabled=$simulator
export ASPNETCORE_URLS=$URL

printf 'cc: command center on %s (simulator %s); Ctrl-C stops it and its servers\n' "$URL" "$simulator"
# Own session/process group, so Ctrl-C reaches only this script, which then stops the app gracefully (SIGTERM) and
# the servers after it, in that order.
setsid dotnet run --no-build -c Release --project "$ROOT/web/CommandCenter.Web.csproj" &
app_pid=$!
printf '%s\n' "$app_pid" >"$DATA/app.pid"
set +e
wait "$app_pid"
rc=$?
set -e
app_pid=""
cc_log "the command center exited with code $rc"
exit "$rc"
