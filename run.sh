#!/usr/bin/env bash
# Run the command center with its demo county on http://127.0.0.1:5080 (override with CC_URL).
#   ./run.sh                  PostgreSQL 127.0.0.1:55432 + Redis 127.0.0.1:56379, data kept in .data/run/
#   ./run.sh --no-simulator   same, without the simulated patrols and incident reports
# Sign in as one of the demo accounts (README lists them: admin, duty, station-1, ...) with the password in
# CC_DEMO_PASSWORD (default: commandcenter-demo).
# Installs missing Debian packages (postgresql, redis-server, ffmpeg, chromium, fonts-noto-cjk, npm) on first use.
# Starts 16 local ffmpeg test streams (HLS, .data/run/streams/) that the 1,473 demo cameras point at.
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
        sed -n '2,10s/^# \{0,1\}//p' "$0"
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
    cc_stop_app "$app_pid"
    rm -f "$DATA/app.pid"
    cc_stop_demo_streams "$DATA/streams"
    cc_stop_redis "$DATA/redis" || rc=1
    cc_stop_postgres "$DATA/postgres" || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc_stop_leftover_app "$DATA/app.pid"

cc_ensure_packages
# fsync stays on (the default): this is the product's data.
cc_start_postgres "$DATA/postgres" "$PG_PORT"
cc_start_redis "$DATA/redis" "$REDIS_PORT"
cc_vendor_web
cc_start_demo_streams "$DATA/streams" 16

cc_log "building CommandCenter.sln (Release)"
dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet

ConnectionStrings__Postgres=$(cc_postgres_connection "$PG_PORT")
export ConnectionStrings__Postgres
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export CommandCenter__DemoCounty=true
export CommandCenter__Simulator__Enabled=$simulator
export CommandCenter__Access__DemoPassword=${CC_DEMO_PASSWORD:-commandcenter-demo}
export CommandCenter__DemoStreams__Folder="$DATA/streams"
export CommandCenter__DemoStreams__BaseUrl="${URL%/}/demo-streams"
export CommandCenter__DemoStreams__Count=16
export ASPNETCORE_URLS=$URL

printf 'cc: command center on %s (simulator %s); Ctrl-C stops it and its servers\n' "$URL" "$simulator"
printf 'cc: sign in as admin, duty, station-1 ... (README) with the password of CC_DEMO_PASSWORD%s\n' \
    "$([[ -n ${CC_DEMO_PASSWORD:-} ]] || echo ' (default commandcenter-demo)')"
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
