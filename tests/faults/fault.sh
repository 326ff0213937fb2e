#!/usr/bin/env bash
# Fault tests (#14): a fault injected into the real command center under load. Starts PostgreSQL (fsync ON, as in
# production; the commandcenter database is recreated on every run), Redis and the command center (Release, the demo
# county, no simulator): one web node, or with --nodes N a cluster of N-1 web nodes and a headless silo. Then the fault
# client (tests/faults) sends reports at --rate through the intake path, each with its own Idempotency-Key, for
# --seconds, spread over the web nodes in turn, while a wall client on each web node follows the county feed.
# --fault-after seconds into that load the fault comes:
#   --fault kill       the (first) web node's whole process group (`dotnet run` and the app) gets SIGKILL; once nothing
#                      of it is left it is started again at once
#   --fault postgres   PostgreSQL is stopped (fast shutdown) for --down seconds, then started again; the app is not touched
#   --fault redis      Redis is stopped for --down seconds, then started again (empty); the app is not touched
# The client keeps sending through it. Then it waits for /health/ready, checks that every wall client (a killed node's
# reconnect to another node) reached the county feed's head with every number applied once, re-sends every key it
# sent with the same body, and counts in SQL on its own connection: every acknowledged incident in cc_incident, exactly
# one incident.reported entry per incident on the county feed (and on every feed of its path), no gap in any feed's
# sequence numbers. It prints sent, acknowledged, failed, lost, doubled, missing, different and feed gaps, the walls,
# and what the fault asks: for a kill the seconds from the restart to ready and, with several web nodes, the
# survivors' failures and answer times and the seconds until the killed node acknowledged reports again; for
# PostgreSQL every answer within 2 s, each refusal a 503 problem+json with Retry-After, reports acknowledged again
# after it is back; for Redis no report refused and the walls of the node running the feed still receiving.
# Everything it started is stopped at the end.
#   tests/faults/fault.sh                                       # one node, 100 reports/s for 30 s, killed at 15 s
#   tests/faults/fault.sh --seconds 10 --fault-after 5          # the short run ./test.sh includes
#   tests/faults/fault.sh --nodes 3 --rate 200                  # two web nodes and a headless silo, web1 killed
#   tests/faults/fault.sh --fault postgres --seconds 60         # PostgreSQL down from 15 s to 45 s
#   tests/faults/fault.sh --fault redis --nodes 3 --seconds 60  # Redis down from 15 s to 45 s under two web nodes
# Options: --fault kill|postgres|redis (kill), --rate R (100), --seconds S (30), --fault-after K (15), --down D (30;
# postgres and redis; K + D less than S), --nodes N (1), --no-build (the Release build of CommandCenter.sln is there
# already, as after ./test.sh's dotnet test).
# Ports from the environment (defaults in brackets): CC_FAULT_PG_PORT (55435), CC_FAULT_REDIS_PORT (56382),
# CC_FAULT_APP_PORT (5095), and the Orleans ports CC_FAULT_SILO_PORT (11195), CC_FAULT_GATEWAY_PORT (30095); node k of
# a cluster (web1, web2 …, the headless silo last) takes each of them plus k-1.
# Data and logs in .data/faults/ (web.log or web1.log, web2.log …, silo.log: the nodes' output, both runs of the killed
# one). Only the client writes to stdout.
# Exit code: the client's: 0 when nothing was lost, doubled, missing or answered with another incident, no feed has a
# gap, every wall caught up and the fault's own demands held; 1 when something of that failed, or when the servers,
# the app or the client could not run; 2 for bad options.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

cc_harness_ports CC_FAULT 55435 56382 5095 11195 30095 || exit 2
DATA="$ROOT/.data/faults"
STARTED_FILE="$DATA/load-started"
RESTART_FILE="$DATA/restarted"
CLIENT="$ROOT/tests/faults/bin/Release/net10.0/CommandCenter.Faults.dll"
# The demo accounts' password of this run only: the client signs in with it (as duty, and as admin for its key).
CC_DEMO_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export CC_DEMO_PASSWORD

fault=kill rate=100 seconds=30 fault_after=15 down=30 nodes=1 build=true
usage() { sed -n '2,41s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
number() { # NAME VALUE: VALUE when it is a whole number from 1 to 3600
    [[ $2 =~ ^[0-9]+$ ]] && (($2 >= 1 && $2 <= 3600)) || cc_die "$1 must be a whole number from 1 to 3600, not '$2'" || exit 2
    printf '%s' "$2"
}
while (($#)); do
    case $1 in
    --rate)
        rate=$(number --rate "${2:-}") || exit 2
        shift
        ;;
    --seconds)
        seconds=$(number --seconds "${2:-}") || exit 2
        shift
        ;;
    --fault)
        [[ ${2:-} =~ ^(kill|postgres|redis)$ ]] || cc_die "--fault is kill, postgres or redis, not '${2:-}'" || exit 2
        fault=$2
        shift
        ;;
    --fault-after)
        fault_after=$(number --fault-after "${2:-}") || exit 2
        shift
        ;;
    --down)
        down=$(number --down "${2:-}") || exit 2
        shift
        ;;
    --nodes)
        nodes=$(number --nodes "${2:-}") || exit 2
        ((nodes <= 9)) || cc_die "--nodes must be from 1 to 9" || exit 2
        shift
        ;;
    --no-build) build=false ;;
    -h | --help)
        usage
        exit 0
        ;;
    *)
        cc_die "unknown argument '$1' (try --help)" || exit 2
        ;;
    esac
    shift
done
[[ $fault == kill ]] && down=0
((fault_after + down < seconds)) || cc_die "--fault-after ($fault_after) and --down ($down) must end before --seconds ($seconds)" || exit 2

exec 3>&1 1>&2

cc_lock "$DATA/.lock" # one fault.sh at a time; servers found running in .data/faults are leftovers and get adopted

# The killed web node (app_pid, named web alone and web1 in a cluster) and the other nodes of a cluster.
app_pid="" client_pid="" others=()
killed_name=web
((nodes == 1)) || killed_name=web1

# shellcheck disable=SC2317  # invoked by the traps
cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    if [[ -n $client_pid ]] && kill -0 "$client_pid" 2>/dev/null; then
        kill -TERM "$client_pid" 2>/dev/null || true
        wait "$client_pid" 2>/dev/null || true
    fi
    for pid in "${others[@]}"; do cc_stop_app "$pid"; done
    rm -f "$DATA"/web*.pid "$DATA/silo.pid"
    cc_stop_harness "$DATA" "$app_pid" || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc_start_harness_servers "$DATA" || exit 1

if [[ $build == true ]]; then
    cc_log "building CommandCenter.sln (Release)"
    dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet
fi
[[ -f $CLIENT ]] || cc_die "$CLIENT is missing; build CommandCenter.sln in Release (or drop --no-build)" || exit 1

# The client re-sends every key at once after the restart: the per-integration limit is not what is tested here.
# Node k of a cluster takes the harness's ports plus k-1: web1 is APP_URL, the headless silo comes last.
settings=(CommandCenter__Access__IntakePerSecond=5000)
app_port=${APP_URL##*:}
start_node() {
    cc_start_node "$DATA" "$killed_name" web "$APP_URL" "$SILO_PORT" "$GATEWAY_PORT" "${settings[@]}"
    app_pid=$CC_APP_PID
}
urls=("$APP_URL")
if ((nodes > 1)); then
    # Two pools per node within PostgreSQL's 300 connections.
    export CC_PG_POOL=$((140 / nodes))
    for ((k = 2; k < nodes; k++)); do
        urls+=("http://127.0.0.1:$((app_port + k - 1))")
    done
fi

# The processes of group $1 still running: not a zombie, which has ended and waits only to be reaped by its parent
# (the app, orphaned when `dotnet run` dies, by PID 1, here up to a couple of seconds later).
running_in_group() { ps -e -o pgid=,pid=,stat= | awk -v group="$1" '$1 == group && $3 !~ /^Z/ { print $2 }'; }

# SIGKILL to the node's whole process group (`dotnet run` and the app under it; killed_ms: when), then waits until
# none of its processes is running.
kill_node() {
    local pids i
    pids=$(running_in_group "$app_pid" | tr '\n' ' ')
    killed_ms=$(date +%s%3N)
    kill -KILL -- "-$app_pid"
    wait "$app_pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        [[ -n $(running_in_group "$app_pid") ]] || break
        sleep 0.1
    done
    if [[ -n $(running_in_group "$app_pid") ]]; then
        ps -e -o pgid=,pid=,stat=,args= | awk -v group="$app_pid" '$1 == group' >&2
        cc_die "processes of the killed node (group $app_pid) still run 10 s after SIGKILL"
        return 1
    fi
    cc_log "killed the node: SIGKILL to process group $app_pid (processes ${pids% }), none of them running after $(($(date +%s%3N) - killed_ms)) ms"
}

: >"$DATA/$killed_name.log"
start_node
for ((k = 2; k < nodes; k++)); do
    : >"$DATA/web$k.log"
    cc_start_node "$DATA" "web$k" web "${urls[k - 1]}" $((SILO_PORT + k - 1)) $((GATEWAY_PORT + k - 1)) "${settings[@]}"
    others+=("$CC_APP_PID")
done
if ((nodes > 1)); then
    : >"$DATA/silo.log"
    cc_start_node "$DATA" silo silo - $((SILO_PORT + nodes - 1)) $((GATEWAY_PORT + nodes - 1))
    others+=("$CC_APP_PID")
fi
cc_wait_node_ready "$app_pid" "$DATA/$killed_name.log" "$APP_URL" 120 || exit 1
for ((k = 2; k < nodes; k++)); do
    cc_wait_node_ready "${others[k - 2]}" "$DATA/web$k.log" "${urls[k - 1]}" 120 || exit 1
done
cc_wait_cluster "$nodes" 120 || exit 1
cc_log "the command center is ready; $rate reports/s for $seconds s, fault $fault at $fault_after s$([[ $fault == kill ]] || echo " for $down s")"

rm -f "$STARTED_FILE" "$RESTART_FILE"
url_args=()
for url in "${urls[@]}"; do url_args+=(--url "$url"); done
dotnet "$CLIENT" "$fault" "${url_args[@]}" --postgres "$(cc_postgres_connection "$PG_PORT")" --rate "$rate" --seconds "$seconds" \
    --started-file "$STARTED_FILE" --restart-file "$RESTART_FILE" >&3 3>&- &
client_pid=$!

for ((i = 0; i < 600; i++)); do # up to 60 s for the client to sign in and begin
    [[ ! -f $STARTED_FILE ]] || break
    kill -0 "$client_pid" 2>/dev/null || break
    sleep 0.1
done
[[ -f $STARTED_FILE ]] || cc_die "the fault client did not begin its load" || exit 1
started_ms=$(<"$STARTED_FILE")
# Sleeps until MS (Unix ms) after the load began.
sleep_until() { sleep "$(awk -v due="$((started_ms + $1))" -v now="$(date +%s%3N)" 'BEGIN { s = (due - now) / 1000; print (s > 0 ? s : 0) }')"; }
sleep_until $((fault_after * 1000))

case $fault in
kill)
    kill_node
    printf '\n--- restarted after SIGKILL ---\n' >>"$DATA/$killed_name.log"
    restarted_ms=$(date +%s%3N)
    start_node
    cc_log "started the node again (pid $app_pid)"
    ;;
postgres | redis)
    if [[ $fault == postgres ]]; then server_data=$DATA/pg server_port=$PG_PORT; else server_data=$DATA/redis server_port=$REDIS_PORT; fi
    killed_ms=$(date +%s%3N)
    "cc_stop_$fault" "$server_data"
    sleep_until $(((fault_after + down) * 1000))
    restarted_ms=$(date +%s%3N)
    "cc_start_$fault" "$server_data" "$server_port" 3>&-
    ;;
esac
printf '%s %s\n' "$killed_ms" "$restarted_ms" >"$RESTART_FILE.tmp"
mv "$RESTART_FILE.tmp" "$RESTART_FILE"

set +e
wait "$client_pid"
rc=$?
set -e
client_pid=""
exit "$rc"
