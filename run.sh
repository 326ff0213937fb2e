#!/usr/bin/env bash
# Run the command center with its demo county on http://127.0.0.1:5080 (override with CC_URL).
#   ./run.sh                  PostgreSQL 127.0.0.1:15432 + Redis 127.0.0.1:16379, data (and the keys' certificate) kept in .data/run/
#   ./run.sh --no-simulator   same, without the simulated patrols and incident reports
#   ./run.sh --nodes 3        a cluster of three: two web nodes (127.0.0.1:5081 and :5082, Orleans ports 11111/30000
#                             and 11112/30001) behind haproxy on the usual URL, and a headless silo (11113/30002);
#                             --nodes N: N-1 web nodes and one headless silo. Each node's output in .data/run/NAME.log;
#                             the simulator runs on the first web node.
#   ./run.sh --city           the demo city 白银市 instead: the demo county and the city's four other counties from
#                             their real outlines (no people or cameras of their own); its data in .data/run-city/
#                             (the same ports: not beside a running ./run.sh)
# Sign in as one of the demo accounts (README lists them: admin, duty, station-1, ...) with the password in
# CC_DEMO_PASSWORD (default: commandcenter-demo).
# Installs missing Debian packages (postgresql, redis-server, ffmpeg, chromium, fonts-noto-cjk, npm) on first use.
# Starts 16 local ffmpeg test streams (HLS, .data/run/streams/) that the 1,473 demo cameras point at, and Janus for the
# video conference and roll call (API ws://127.0.0.1:18088, admin :18089, configuration and secrets in .data/run/janus/;
# media over every interface but the loopback, or only CC_JANUS_INTERFACES, e.g. eth0: see the README on TURN).
# Ctrl-C stops the app, then Janus and the PostgreSQL and Redis servers of .data/run/. The app itself creates and migrates
# the database schema at start-up (deploy/sql/); this script only provides the servers.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

PG_PORT=15432
REDIS_PORT=16379
JANUS_PORT=18088
URL=${CC_URL:-http://127.0.0.1:5080}
DATA="$ROOT/.data/run"
simulator=true
nodes=1
city=false

while (($#)); do
    case $1 in
    --no-simulator) simulator=false ;;
    --city)
        city=true
        DATA="$ROOT/.data/run-city"
        ;;
    --nodes)
        [[ ${2:-} =~ ^[1-9]$ ]] || { echo "run.sh: --nodes takes a number from 1 to 9, not '${2:-}'" >&2; exit 2; }
        nodes=$2
        shift
        ;;
    -h | --help)
        sed -n '2,19s/^# \{0,1\}//p' "$0"
        exit 0
        ;;
    *)
        echo "run.sh: unknown argument '$1' (try --help)" >&2
        exit 2
        ;;
    esac
    shift
done

cc_lock "$DATA/.lock" # one run.sh per data folder; services found running are leftovers and get adopted

# The nodes started, by name (web, or web1 … and silo), each the leader of its own session (setsid), so Ctrl-C reaches
# only this script, which then stops them gracefully (SIGTERM) and the servers after them, in that order.
declare -A node_pids=()
# shellcheck disable=SC2317  # invoked by the traps
cleanup() {
    local rc=$? name
    trap - INT TERM EXIT
    for name in "${!node_pids[@]}"; do
        cc_stop_app "${node_pids[$name]}"
        rm -f "$DATA/$name.pid"
    done
    cc_stop_haproxy "$DATA/haproxy" || rc=1
    cc_stop_demo_streams "$DATA/streams"
    cc_stop_janus "$DATA/janus" || rc=1
    cc_stop_redis "$DATA/redis" || rc=1
    cc_stop_postgres "$DATA/postgres" || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

for pidfile in "$DATA"/*.pid; do
    [[ ! -e $pidfile || $pidfile == */app.pid ]] || cc_stop_leftover_app "$pidfile"
done
cc_stop_leftover_app "$DATA/app.pid"

cc_ensure_packages
# fsync stays on (the default): this is the product's data.
cc_start_postgres "$DATA/postgres" "$PG_PORT"
cc_start_redis "$DATA/redis" "$REDIS_PORT"
cc_start_janus "$DATA/janus" "$JANUS_PORT" $((JANUS_PORT + 1)) "${URL%/}/api/video/events" "${CC_JANUS_INTERFACES:-}"
cc_vendor_web
cc_start_demo_streams "$DATA/streams" 16

cc_log "building CommandCenter.sln (Release)"
dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet

ConnectionStrings__Postgres=$(cc_postgres_connection "$PG_PORT")
export ConnectionStrings__Postgres
export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
export CommandCenter__DemoCounty=true
export CommandCenter__DemoCity=$city
export CommandCenter__Access__DemoPassword=${CC_DEMO_PASSWORD:-commandcenter-demo}
export CommandCenter__DemoStreams__Folder="$DATA/streams"
export CommandCenter__DemoStreams__BaseUrl="${URL%/}/demo-streams"
export CommandCenter__DemoStreams__Count=16
export CommandCenter__Video__Janus="ws://127.0.0.1:$JANUS_PORT"
export CommandCenter__Video__SecretsFile="$DATA/janus/secrets.env"
# The certificate that encrypts the key ring and the rating-link key: made by the app (demo mode) at first start, beside
# the database it protects, and reused by every node and every later run of this data folder.
export CommandCenter__Keys__CertificateFile="$DATA/keys/demo-keys.pfx"

if ((nodes == 1)); then
    printf 'cc: command center on %s (simulator %s); Ctrl-C stops it and its servers\n' "$URL" "$simulator"
else
    printf 'cc: command center on %s: %s web node(s) behind haproxy and a headless silo (simulator %s on web1); Ctrl-C stops them and their servers\n' \
        "$URL" "$((nodes - 1))" "$simulator"
fi
printf 'cc: sign in as admin, duty, station-1 ... (README) with the password of CC_DEMO_PASSWORD%s\n' \
    "$([[ -n ${CC_DEMO_PASSWORD:-} ]] || echo ' (default commandcenter-demo)')"

if ((nodes == 1)); then
    export CommandCenter__Simulator__Enabled=$simulator
    export ASPNETCORE_URLS=$URL
    setsid dotnet run --no-build -c Release --project "$ROOT/web/CommandCenter.Web.csproj" &
    node_pids[app]=$!
    printf '%s\n' "${node_pids[app]}" >"$DATA/app.pid"
else
    # The proxy takes the usual URL; the web nodes the ports after it, each its own Orleans ports; the headless silo last.
    proxy_port=${URL##*:}
    proxy_port=${proxy_port%%/*}
    [[ $proxy_port =~ ^[0-9]+$ ]] || cc_die "CC_URL must end with a port for --nodes ($URL)"
    export CC_DEMO_PASSWORD=$CommandCenter__Access__DemoPassword
    # Two pools per node within PostgreSQL's 300 connections.
    CC_PG_POOL=$((140 / nodes))
    backends=()
    # The web nodes believe the forwarded headers of haproxy (on 127.0.0.1) alone.
    for ((k = 1; k < nodes; k++)); do
        cc_start_node "$DATA" "web$k" web "http://127.0.0.1:$((proxy_port + k))" $((11110 + k)) $((29999 + k)) \
            Logging__LogLevel__Default=Information CommandCenter__Simulator__Enabled=$([[ $k == 1 ]] && echo "$simulator" || echo false) \
            CommandCenter__Access__KnownProxies__0=127.0.0.1
        node_pids[web$k]=$CC_APP_PID
        backends+=("127.0.0.1:$((proxy_port + k))")
    done
    cc_start_node "$DATA" silo silo - $((11110 + nodes)) $((29999 + nodes)) Logging__LogLevel__Default=Information
    node_pids[silo]=$CC_APP_PID
    cc_start_haproxy "$DATA/haproxy" "$proxy_port" "${backends[@]}"
fi

# Runs until every node has ended (a node that ends leaves the others running) or Ctrl-C.
rc=0
while ((${#node_pids[@]} > 0)); do
    set +e
    wait -n -p ended "${node_pids[@]}"
    code=$?
    set -e
    for name in "${!node_pids[@]}"; do
        [[ ${node_pids[$name]} != "${ended:-}" ]] && kill -0 "${node_pids[$name]}" 2>/dev/null && continue
        cc_log "$name of the command center exited with code $code"
        rc=$code
        unset "node_pids[$name]"
        rm -f "$DATA/$name.pid"
    done
done
exit "$rc"
