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
# --fault deadlines is not a fault under load but the whole cluster down across SLA deadlines. Every node of the
# command center runs on a fake clock (libfaketime, an offset from the real one; PostgreSQL, Redis and the client keep
# the real time), set for each start of the cluster: at 10:00 China time of the first working day after today by the
# shipped calendar (grains/Calendar/Years), the client files batch A (--rate reports/s for --seconds), due 24:00 of the
# next working day; the cluster is stopped and started 8 minutes before that deadline, where nothing may be recorded
# as missed yet, and the client files batch B; then every node gets SIGKILL and the cluster is started again at once
# with the clock --down (600) seconds on, past A's deadline. Each incident of A must have its missed deadline recorded
# (an overdue event in its log, with its incident.supervised entry on the county feed) exactly once within 60 s of
# that restart, none of B; still exactly once a few sweeps later and after the cluster is stopped and started once
# more. It prints the figures, and the lost, doubled, missing and feed gaps counted as above.
# Everything it started is stopped at the end.
#   tests/faults/fault.sh                                       # one node, 100 reports/s for 30 s, killed at 15 s
#   tests/faults/fault.sh --seconds 10 --fault-after 5          # the short run ./test.sh includes
#   tests/faults/fault.sh --nodes 3 --rate 200                  # two web nodes and a headless silo, web1 killed
#   tests/faults/fault.sh --fault postgres --seconds 60         # PostgreSQL down from 15 s to 45 s
#   tests/faults/fault.sh --fault redis --nodes 3 --seconds 60  # Redis down from 15 s to 45 s under two web nodes
#   tests/faults/fault.sh --fault deadlines --nodes 3           # 3,000 reports on each side of a deadline, 10 min down
# Options: --fault kill|postgres|redis|deadlines (kill), --rate R (100), --seconds S (30), --fault-after K (15),
# --down D (postgres and redis: 30, K + D less than S; deadlines: 600, the jump of the fake clock), --nodes N (1),
# --no-build (the Release build of CommandCenter.sln is there already, as after ./test.sh's dotnet test).
# Ports from the environment (defaults in brackets): CC_FAULT_PG_PORT (15435), CC_FAULT_REDIS_PORT (16382),
# CC_FAULT_APP_PORT (5095), and the Orleans ports CC_FAULT_SILO_PORT (11195), CC_FAULT_GATEWAY_PORT (30095); node k of
# a cluster (web1, web2 …, the headless silo last) takes each of them plus k-1.
# Data and logs in .data/faults/ (web.log or web1.log, web2.log …, silo.log: the nodes' output, every run of the
# killed or restarted ones). Only the client writes to stdout.
# Exit code: the client's: 0 when nothing was lost, doubled, missing or answered with another incident, no feed has a
# gap, every wall caught up and the fault's own demands held; 1 when something of that failed, or when the servers,
# the app or the client could not run; 2 for bad options.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

cc_harness_ports CC_FAULT 15435 16382 5095 11195 30095 || exit 2
DATA="$ROOT/.data/faults"
STARTED_FILE="$DATA/load-started"
RESTART_FILE="$DATA/restarted"
CLIENT="$ROOT/tests/faults/bin/Release/net10.0/CommandCenter.Faults.dll"
# The demo accounts' password of this run only: the client signs in with it (as duty, and as admin for its key).
CC_DEMO_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export CC_DEMO_PASSWORD
# test.sh greps its run's logs, these nodes' too, for the run's secrets (CC_TEST_SECRETS: one per line).
[[ -z ${CC_TEST_SECRETS:-} ]] || echo "$CC_DEMO_PASSWORD" >>"$CC_TEST_SECRETS"

fault=kill rate=100 seconds=30 fault_after=15 down="" nodes=1 build=true
usage() { sed -n '2,48s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"; }
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
        [[ ${2:-} =~ ^(kill|postgres|redis|deadlines)$ ]] || cc_die "--fault is kill, postgres, redis or deadlines, not '${2:-}'" || exit 2
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
case $fault in
kill) down=0 ;;
deadlines) down=${down:-600} ;;
*) down=${down:-30} ;;
esac
[[ $fault == deadlines ]] || ((fault_after + down < seconds)) ||
    cc_die "--fault-after ($fault_after) and --down ($down) must end before --seconds ($seconds)" || exit 2

exec 3>&1 1>&2

cc_lock "$DATA/.lock" # one fault.sh at a time; servers found running in .data/faults are leftovers and get adopted

# The first web node (app_pid: the one --fault kill kills; named web alone and web1 in a cluster) and the other nodes
# of a cluster (others).
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
# Node k of a cluster takes the harness's ports plus k-1: web1 is APP_URL, the headless silo comes last. clock holds
# the fake clock's settings of every node (deadlines only).
settings=(CommandCenter__Access__IntakePerSecond=5000)
clock=()
app_port=${APP_URL##*:}
start_node() {
    cc_start_node "$DATA" "$killed_name" web "$APP_URL" "$SILO_PORT" "$GATEWAY_PORT" "${settings[@]}" "${clock[@]}"
    app_pid=$CC_APP_PID
}
urls=("$APP_URL") names=("$killed_name")
if ((nodes > 1)); then
    # Two pools per node within PostgreSQL's 300 connections.
    export CC_PG_POOL=$((140 / nodes))
    for ((k = 2; k < nodes; k++)); do
        urls+=("http://127.0.0.1:$((app_port + k - 1))")
        names+=("web$k")
    done
    names+=(silo)
fi

# Starts every node: the first web node (app_pid), the other web nodes and the headless silo (others).
start_cluster() {
    start_node
    others=()
    for ((k = 2; k < nodes; k++)); do
        cc_start_node "$DATA" "web$k" web "${urls[k - 1]}" $((SILO_PORT + k - 1)) $((GATEWAY_PORT + k - 1)) "${settings[@]}" "${clock[@]}"
        others+=("$CC_APP_PID")
    done
    if ((nodes > 1)); then
        cc_start_node "$DATA" silo silo - $((SILO_PORT + nodes - 1)) $((GATEWAY_PORT + nodes - 1)) "${clock[@]}"
        others+=("$CC_APP_PID")
    fi
}

# Appends a line saying what comes next to every node's log.
mark_logs() {
    local name
    for name in "${names[@]}"; do printf '\n--- %s ---\n' "$1" >>"$DATA/$name.log"; done
}

# The processes of group $1 still running: not a zombie, which has ended and waits only to be reaped by its parent
# (the app, orphaned when `dotnet run` dies, by PID 1, here up to a couple of seconds later).
running_in_group() { ps -e -o pgid=,pid=,stat= | awk -v group="$1" '$1 == group && $3 !~ /^Z/ { print $2 }'; }

# SIGKILL to the whole process group of each node given (`dotnet run` and the app under it; killed_ms: when), then
# waits until none of their processes is running.
kill_nodes() {
    local pids="" group i left
    for group in "$@"; do pids+=$(running_in_group "$group" | tr '\n' ' '); done
    killed_ms=$(date +%s%3N)
    for group in "$@"; do kill -KILL -- "-$group"; done
    for group in "$@"; do wait "$group" 2>/dev/null || true; done
    for ((i = 0; i < 100; i++)); do
        left=""
        for group in "$@"; do left+=$(running_in_group "$group"); done
        [[ -n $left ]] || break
        sleep 0.1
    done
    if [[ -n $left ]]; then
        ps -e -o pgid=,pid=,stat=,args= | awk -v groups=" $* " 'index(groups, " " $1 " ")' >&2
        cc_die "processes of the killed node(s) (groups $*) still run 10 s after SIGKILL"
        return 1
    fi
    cc_log "killed: SIGKILL to process group(s) $* (processes ${pids% }), none of them running after $(($(date +%s%3N) - killed_ms)) ms"
}

for name in "${names[@]}"; do : >"$DATA/$name.log"; done

if [[ $fault == deadlines ]]; then
    FAKETIME_LIB=$(compgen -G '/usr/lib/*/faketime/libfaketime.so.1' | head -n 1) || true
    [[ -n $FAKETIME_LIB ]] || cc_die "libfaketime is not installed (Debian package faketime)" || exit 1
    # A working day by the shipped calendar (grains/Calendar/Years, as WorkingCalendar.IsWorkingDay): a make-up working
    # day, or a weekday in no span of days off; a year without a file counts only weekends as days off.
    working_day() {
        local file=$ROOT/grains/Calendar/Years/${1:0:4}.json
        if [[ -f $file ]] && jq -e --arg d "$1" '.workingDays | any(.date == $d)' "$file" >/dev/null; then return 0; fi
        (($(date -u -d "$1" +%u) <= 5)) || return 1
        [[ ! -f $file ]] || ! jq -e --arg d "$1" '.daysOff | any(.from <= $d and $d <= .to)' "$file" >/dev/null
    }
    next_working_day() { # YYYY-MM-DD: the first working day after it
        local day=$1
        day=$(date -u -d "$day + 1 day" +%F)
        until working_day "$day"; do day=$(date -u -d "$day + 1 day" +%F); done
        printf '%s' "$day"
    }
    # Batch A on the first working day after today in China (UTC+8), due at 24:00 of the working day after it; the
    # second start of the cluster lead seconds before that deadline.
    filed_on=$(next_working_day "$(TZ=UTC-8 date +%F)")
    due_on=$(next_working_day "$filed_on")
    due=$(($(date -u -d "$due_on 00:00 +0800" +%s) + 86400))
    lead=480
    # Every node of the cluster on the fake clock: the real one plus offset seconds. Its monotonic clock is faked too
    # (it then reads about the fake Unix time, running at the real rate): with FAKETIME_DONT_FAKE_MONOTONIC=1
    # libfaketime 0.9.10 lets .NET's sleeps and timed waits return at once (seen here: Thread.Sleep(500) took no time,
    # and the app's PostgreSQL and Redis calls timed out).
    offset=0
    fake_clock_at() { # UNIX: from now on the cluster starts with its clock at UNIX
        offset=$(($1 - $(date +%s)))
        fake_clock
    }
    fake_clock() {
        clock=("LD_PRELOAD=$FAKETIME_LIB" "FAKETIME=+$offset")
    }
    fake_clock_at "$(date -u -d "$filed_on 10:00 +0800" +%s)"
    cc_log "fake clock: batch A at $filed_on 10:00 CST, due $due_on 24:00 CST; the cluster down for $down s across it"
fi

start_cluster
cc_wait_node_ready "$app_pid" "$DATA/$killed_name.log" "$APP_URL" 120 || exit 1
for ((k = 2; k < nodes; k++)); do
    cc_wait_node_ready "${others[k - 2]}" "$DATA/web$k.log" "${urls[k - 1]}" 120 || exit 1
done
cc_wait_cluster "$nodes" 120 || exit 1
url_args=()
for url in "${urls[@]}"; do url_args+=(--url "$url"); done
client_args=("${url_args[@]}" --postgres "$(cc_postgres_connection "$PG_PORT")" --rate "$rate" --seconds "$seconds")

if [[ $fault == deadlines ]]; then
    cc_log "the command center is ready; two batches of $((rate * seconds)) reports at $rate/s"
    STEPS=$DATA/steps
    rm -rf "$STEPS" && mkdir -p "$STEPS"
    dotnet "$CLIENT" deadlines "${client_args[@]}" --steps "$STEPS" --due "$due" --down "$down" >&3 3>&- &
    client_pid=$!
    # Waits for the client's step file $1 (false when the client ended first), then stops ($2 = stop) or kills
    # ($2 = kill: the clock jumps --down seconds) every node, starts the cluster again (with the clock at $3 when
    # given) and answers with the two times in STEPS/$1.done.
    step() {
        local stopped_ms started_ms pid how
        until [[ -f $STEPS/$1 ]]; do
            kill -0 "$client_pid" 2>/dev/null || return 1
            sleep 0.1
        done
        if [[ $2 == kill ]]; then
            kill_nodes "$app_pid" "${others[@]}"
            stopped_ms=$killed_ms how="killed (SIGKILL)"
            offset=$((offset + down))
            fake_clock
        else
            stopped_ms=$(date +%s%3N) how=stopped
            for pid in "$app_pid" "${others[@]}"; do cc_stop_app "$pid"; done
        fi
        [[ -z ${3:-} ]] || fake_clock_at "$3"
        mark_logs "$1: $how, started again with the fake clock at $(TZ=UTC-8 date -d "@$(($(date +%s) + offset))" '+%F %T') CST"
        started_ms=$(date +%s%3N)
        start_cluster
        printf '%s %s\n' "$stopped_ms" "$started_ms" >"$STEPS/$1.done.tmp"
        mv "$STEPS/$1.done.tmp" "$STEPS/$1.done"
    }
    step a-filed stop $((due - lead)) && step b-filed kill && step recorded stop || true
else
    cc_log "the command center is ready; $rate reports/s for $seconds s, fault $fault at $fault_after s$([[ $fault == kill ]] || echo " for $down s")"
    rm -f "$STARTED_FILE" "$RESTART_FILE"
    dotnet "$CLIENT" "$fault" "${client_args[@]}" --started-file "$STARTED_FILE" --restart-file "$RESTART_FILE" >&3 3>&- &
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
        kill_nodes "$app_pid"
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
fi

set +e
wait "$client_pid"
rc=$?
set -e
client_pid=""
exit "$rc"
