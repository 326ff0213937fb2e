#!/usr/bin/env bash
# Latency bench of report intake -> wall feed, end to end on this machine:
#   PostgreSQL 127.0.0.1:15434 (fsync ON, as in production; the commandcenter database is recreated on every run),
#   Redis 127.0.0.1:16381, the command center (Release) on http://127.0.0.1:5090 with the demo county and no
#   simulator, then the bench tool (tests/bench) against it, then everything it started is stopped again.
# Ports from the environment, so that benches of several checkouts do not meet (defaults in brackets):
#   CC_BENCH_PG_PORT (15434), CC_BENCH_REDIS_PORT (16381), CC_BENCH_APP_PORT (5090), and the app's Orleans ports
#   CC_BENCH_SILO_PORT (11191), CC_BENCH_GATEWAY_PORT (30091); e.g.
#   CC_BENCH_PG_PORT=15454 CC_BENCH_REDIS_PORT=16394 CC_BENCH_APP_PORT=5194 tests/bench/bench.sh --seconds 10
# Data and logs in .data/bench/ (web.log is the app's output). Arguments go to the bench tool, e.g.
#   tests/bench/bench.sh                      # 100 and 500 reports/s, 60 s each, then the highest sustainable rate
#   tests/bench/bench.sh --rates 500 --seconds 60 --json .data/bench/result.json   # the 500/s target as #13 states it
#   tests/bench/bench.sh --find-rate          # only the highest sustainable rate (product and baseline), a few minutes
#   tests/bench/bench.sh --full-loop --seconds 30   # full-loop scenario: reports at --loop-rate (default 200/s),
#       each closed by simulated users (verify, ticket, dispatch, accept, handle, feedback, rate); prints loops/s,
#       each action's p50/p99 and the report -> wall p99 while the loop runs
#   tests/bench/bench.sh --with-cameras --seconds 60   # 100 reports/s with 16 demo HLS streams, the demo cameras
#       pointing at them, probed, and evidence captured for each report, as in demo mode
#   tests/bench/bench.sh --positions --seconds 30   # positions: 20,000 senders every 10 s through the intake (the demo
#       county with 18,750 more grid workers: one person each), 20 walls;
#       then the same against the Orleans GPSTracker sample's path (the baseline)
#   tests/bench/bench.sh --cameras --seconds 20   # camera scenarios: 16 demo HLS streams are started (as run.sh does)
#       and the demo cameras point at them; warm and cold snapshots, and a minute of health probing
#   tests/bench/bench.sh --command --seconds 30   # command scenario: a session led by commander, 30 followers, 10 views/s
#       (ShareView -> sessionView); then an instruction to every station every 2 s, 130 station walls
#       (POST /api/instructions -> instructionIssued); each against the bench's bare hub and POST on the same Redis
#   tests/bench/bench.sh --video --seconds 20   # video scenario (#17): 10 participants (commander and nine township
#       stations, headless Chromium with its fake camera at 320x240, 10 fps) join one session's conference one after
#       the other, each one's join -> first remote frame; then the CPU of the app and of Janus with all ten in; the
#       same pages joining a Janus room directly (the baseline); then 3 video roll calls (视频点名) of ten township
#       stations whose consoles answer as soon as they ring, call -> first frame at the media server, against the same
#       pages publishing straight to Janus (--roll-calls N). Runs inside a network namespace of its own
#       (cc-bench-<PostgreSQL port>, as test.sh does): Janus on ws://127.0.0.1:CC_BENCH_JANUS_PORT (18388), admin +1
#   tests/bench/bench.sh --stats                # statistics scenario (#18): 1,000,000 incidents over ten years
#       written into the database by the demo county's history generator (several minutes), then each period query
#       (township-month, county-year, rankings, a monthly workbook) 100 times, and the same periods counted from the
#       event log (the baseline); --incidents N, --history-years Y and --queries N for less
# Every phase also prints the CPU milliseconds per report of the app's processes (--app-pid, given here).
# Installs missing Debian packages on first use (like run.sh). Exit code: the bench tool's (0 even when the
# latency targets are missed), or non-zero when the servers or the app could not start.
set -euo pipefail
CALLER_PWD=$PWD # the tool runs from here, so that relative --json / --samples paths mean what the caller meant
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
ROOT=$PWD
# shellcheck source-path=SCRIPTDIR/../..
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

cc_harness_ports CC_BENCH 15434 16381 5090 11191 30091 || exit 2
DATA="$ROOT/.data/bench"
# The demo accounts' password of this run only: the tool signs in with it (as duty, and as admin to get its intake key).
CC_DEMO_PASSWORD=$(head -c 24 /dev/urandom | base64 | tr -d '/+=')
export CC_DEMO_PASSWORD

cameras=false
positions=false
video=false
for arg in "$@"; do
    case $arg in
    --cameras | --with-cameras) cameras=true ;;
    --positions) positions=true ;;
    --video) video=true ;;
    -h | --help)
        sed -n '2,37s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
        echo
        dotnet run --no-build -c Release --project "$ROOT/tests/bench/CommandCenter.Bench.csproj" -- --help 2>/dev/null ||
            echo "(build tests/bench to see the bench tool's options)"
        exit 0
        ;;
    esac
done

JANUS_PORT=$(_cc_port CC_BENCH_JANUS_PORT 18388) || exit 2
NETNS=cc-bench-$PG_PORT
# The video scenario runs inside a network namespace (Janus ignores the loopback; its media stays on the namespace's
# veth pair): what needs the network is done first, outside, then this script goes on inside.
if [[ $video == true && $(ip netns identify 2>/dev/null || true) != "$NETNS" ]]; then
    cc_ensure_packages 1>&2
    cc_vendor_web 1>&2
    dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet 1>&2
    dotnet build "$ROOT/tests/bench/CommandCenter.Bench.csproj" -c Release -nologo -v quiet 1>&2
    cc_netns_create "$NETNS"
    set +e
    cd "$CALLER_PWD"
    ip netns exec "$NETNS" bash "$ROOT/tests/bench/bench.sh" "$@"
    rc=$?
    set -e
    cc_netns_delete "$NETNS"
    exit "$rc"
fi

# Only the bench tool writes to stdout (its table); servers, builds and this script report on stderr.
exec 3>&1 1>&2

cc_lock "$DATA/.lock" # one bench.sh at a time; servers found running in .data/bench are leftovers and get adopted

app_pid=""

# shellcheck disable=SC2317  # invoked by the traps
cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    cc_stop_harness "$DATA" "$app_pid" || rc=1
    cc_stop_demo_streams "$DATA/streams"
    cc_stop_janus "$DATA/janus" || rc=1
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# fsync stays on: the bench measures the durable path as it runs in production.
cc_start_harness_servers "$DATA" || exit 1

if [[ $(ip netns identify 2>/dev/null || true) != "$NETNS" ]]; then # inside it, the build was made before entering
    cc_log "building CommandCenter.sln (Release)"
    dotnet build "$ROOT/CommandCenter.sln" -c Release -nologo -v quiet
    # The bench project may not be in the solution on every branch: build it explicitly too (a no-op when it was).
    dotnet build "$ROOT/tests/bench/CommandCenter.Bench.csproj" -c Release -nologo -v quiet
fi

if [[ $cameras == true ]]; then
    cc_start_demo_streams "$DATA/streams" 16 3>&-
fi
if [[ $video == true ]]; then
    cc_start_janus "$DATA/janus" "$JANUS_PORT" $((JANUS_PORT + 1)) "$APP_URL/api/video/events" v0 3>&-
fi

: >"$DATA/web.log"
settings=(
    CommandCenter__Access__IntakePerSecond=5000 # the bench measures latency, not the per-integration limit
    # All the full loop's citizens rate, and its worker accounts sign in, from the one address of the bench.
    CommandCenter__Access__RatingsPerMinute=1000000
    CommandCenter__Access__SignInsPerMinute=1000
)
if [[ $cameras == true ]]; then
    settings+=(CommandCenter__DemoStreams__Folder="$DATA/streams" CommandCenter__DemoStreams__BaseUrl="$APP_URL/demo-streams"
        CommandCenter__DemoStreams__Count=16)
fi
if [[ $positions == true ]]; then
    # #15's 20,000 people: the demo county's 1,250 and as many more grid workers, each sender one person.
    settings+=(CommandCenter__DemoMoreGridWorkers=18750)
fi
if [[ $video == true ]]; then
    # The participants' cameras as the notes measured ten of them on two cores: 320x240 at 10 fps.
    settings+=(CommandCenter__Video__Janus="ws://127.0.0.1:$JANUS_PORT" CommandCenter__Video__SecretsFile="$DATA/janus/secrets.env"
        CommandCenter__Video__Capture__Width=320 CommandCenter__Video__Capture__Height=240 CommandCenter__Video__Capture__FrameRate=10)
fi
# Own Orleans ports, so the bench can run while run.sh (11111/30000) does.
cc_start_app "$DATA" "${settings[@]}"
app_pid=$CC_APP_PID
cc_wait_app_ready "$app_pid" "$DATA" 120 || exit 1
cc_log "the command center is ready"

set +e
cd "$CALLER_PWD"
video_args=()
if [[ $video == true ]]; then
    video_args=(--janus "ws://127.0.0.1:$JANUS_PORT" --janus-secrets "$DATA/janus/secrets.env" --janus-pid "$(cat "$DATA/janus/janus.pid")"
        --chromium /usr/bin/chromium)
fi
dotnet run --no-build -c Release --project "$ROOT/tests/bench/CommandCenter.Bench.csproj" -- \
    --url "$APP_URL" --redis "127.0.0.1:$REDIS_PORT" --postgres "$(cc_postgres_connection "$PG_PORT" 10)" --app-pid "$app_pid" \
    "${video_args[@]}" "$@" >&3
rc=$?
set -e
exit "$rc"
