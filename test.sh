#!/usr/bin/env bash
# Run every test of CommandCenter.sln against real servers:
#   PostgreSQL 127.0.0.1:15433 (fsync off; the commandcenter database is dropped and recreated on every run),
#   Redis 127.0.0.1:16380 (flushed on every run), Janus on ws://127.0.0.1:18188 and its admin API on :18189
#   (CC_TEST_JANUS_PORT moves both; configuration and secrets in .data/test/janus/), Debian's chromium for the browser tests.
# Data in .data/test/, results (TRX, screenshots) in TestResults/. Extra arguments go to `dotnet test`,
# e.g. ./test.sh --filter "FullyQualifiedName~Workflow". Installs missing Debian packages on first use.
# Then the short fault tests of tests/faults/fault.sh (FAULT_RUNS below: kill -9 of the single node, kill -9 of one of
# two web nodes, PostgreSQL stopped for 10 s, Redis stopped for 10 s under two web nodes, the single node killed across
# a deadline with its fake clock 10 minutes on; about 4 minutes; their own PostgreSQL,
# Redis and nodes, data in .data/faults/, ports CC_FAULT_PG_PORT, CC_FAULT_REDIS_PORT, CC_FAULT_APP_PORT,
# CC_FAULT_SILO_PORT, CC_FAULT_GATEWAY_PORT, defaults in its header), only in a run of the whole suite (no extra
# arguments); CC_SKIP_FAULTS=1 skips them (counted as skipped).
# Then (any run but --unit) the secrets scan: the secrets the run made or sent (TestResults/secrets.txt: passwords,
# wrong ones too, API keys, bearer tokens, camera credentials, written by the tests (TestSecrets); the media server's
# secrets and the fault runs' passwords, added here) must appear nowhere in the run's logs (TestResults/logs/: every
# test host's log at Information, CommandCenter's at Debug, the problem details it answered and its OpenAPI document;
# the fault runs' node logs), nor in the TRX files. A hit prints the line and fails the run.
# Ends with a line "N passed, M failed, K skipped" (each fault test and the secrets scan counted as one test) and
# exits non-zero when dotnet test, a fault test or the scan did.
# CC_KEEP_SERVICES=1 leaves PostgreSQL and Redis running afterwards (the next run reuses them).
# CC_TEST_PG_PORT / CC_TEST_REDIS_PORT choose other ports, so that two work trees can run tests side by side.
# ./test.sh --unit runs only the plain rules' tests (tests/CommandCenter.UnitTests): no PostgreSQL, Redis, ffmpeg or
# browser is installed or started; the rest of the arguments go to `dotnet test` as above.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
ROOT=$PWD
# shellcheck source=deploy/lib.sh
. "$ROOT/deploy/lib.sh"

PG_PORT=${CC_TEST_PG_PORT:-15433}
REDIS_PORT=${CC_TEST_REDIS_PORT:-16380}
JANUS_PORT=${CC_TEST_JANUS_PORT:-18188}
JANUS_ADMIN_PORT=$((JANUS_PORT + 1))
DATA="$ROOT/.data/test"
RESULTS="$ROOT/TestResults"

UNIT=0
if [[ ${1:-} == --unit ]]; then
    UNIT=1
    shift
fi

# The outcomes of the checks test.sh runs itself (the fault tests, the secrets scan), counted in the closing line
# (none when they are not part of the run).
CHECKS_PASSED=0 CHECKS_FAILED=0 CHECKS_SKIPPED=0
CHECKS_FAILURES=()

# Sums the counters of every TRX file the run wrote (one per test project) and the fault test into the closing line.
summarize() {
    local rc=$1 passed=0 failed=0 skipped=0 files=0 notrun=0 counters trx
    while IFS= read -r -d '' trx; do
        counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1 || true)
        [[ -n $counters ]] || continue
        files=$((files + 1))
        count() { local v; v=$(sed -n "s/.* $1=\"\([0-9]*\)\".*/\1/p" <<<"$counters"); echo "${v:-0}"; }
        passed=$((passed + $(count passed)))
        failed=$((failed + $(count failed) + $(count error) + $(count timeout) + $(count aborted)))
        # VSTest counts skipped tests as neither executed nor notExecuted: total - executed.
        notrun=$(($(count total) - $(count executed)))
        ((notrun > $(count notExecuted))) || notrun=$(count notExecuted)
        skipped=$((skipped + notrun))
    done < <(find "$RESULTS" -name '*.trx' -type f -print0)
    # An unhandled exception ended a test host: its tests are missing from the TRX files, so it counts as a failure here.
    if [[ -s $ESCAPED ]]; then
        failed=$((failed + $(grep -c '^unhandled at ' "$ESCAPED" || true)))
    fi
    if ((rc != 0 && files == 0)); then
        echo "cc: dotnet test exited with code $rc before any test ran (see the errors above)" >&2
    fi
    # The failed tests by name, next to the closing line: a log kept only by its tail still says which ones.
    find "$RESULTS" -name '*.trx' -type f -exec grep -ho '<UnitTestResult [^>]*>' {} + 2>/dev/null |
        grep -E 'outcome="(Failed|Error|Timeout|Aborted)"' | sed -n 's/.* testName="\([^"]*\)".*/cc: failed: \1/p' || true
    local failure
    for failure in "${CHECKS_FAILURES[@]}"; do echo "cc: failed: $failure"; done
    passed=$((passed + CHECKS_PASSED))
    failed=$((failed + CHECKS_FAILED))
    skipped=$((skipped + CHECKS_SKIPPED))
    echo "$passed passed, $failed failed, $skipped skipped"
}

mkdir -p "$RESULTS"
find "$RESULTS" -name '*.trx' -type f -delete
# Written by the tests (tests/CommandCenter.Tests/Infrastructure/BackgroundExceptions.cs) when an exception escapes
# background work: unhandled (it ends the test host; counted as a failed test in the closing line) or in a task nobody
# observed (the last test, BackgroundExceptionsTests, fails for it). Either fails the run.
ESCAPED="$RESULTS/background-exceptions.log"
rm -f "$ESCAPED"
# The secrets scan's input (see the header): the secrets, one per line, and the logs.
SECRETS="$RESULTS/secrets.txt"
LOGS="$RESULTS/logs"
rm -rf "$SECRETS" "$LOGS"

# Runs `dotnet test` on the project or solution $1 with the rest of the arguments; sets TESTS_RC to its exit code, or
# to 1 when it passed but an exception escaped background work (ESCAPED).
run_tests() {
    local target=$1
    shift
    set +e
    dotnet test "$target" -c Release --nologo "${BUILT[@]}" \
        --logger "console;verbosity=normal" --logger trx --results-directory "$RESULTS" "$@"
    TESTS_RC=$?
    set -e
    if [[ -s $ESCAPED ]]; then
        echo "cc: exceptions escaped background work during the run ($ESCAPED):" >&2
        cat "$ESCAPED" >&2
        ((TESTS_RC != 0)) || TESTS_RC=1
    fi
}

# --no-build once the whole solution has been built (the run in the network namespace); the plain rules' tests build their own project.
BUILT=()
if ((UNIT == 1)); then
    run_tests "$ROOT/tests/CommandCenter.UnitTests/CommandCenter.UnitTests.csproj" "$@"
    summarize "$TESTS_RC"
    exit "$TESTS_RC"
fi

# The run itself goes on inside a network namespace of its own (cc_netns_create; CC_TEST_NETNS names it, by default
# after the PostgreSQL port so that two work trees' runs have one each): PostgreSQL, Redis, Janus, the test hosts and
# the browsers all run in it, so the video tests' media (Janus ignores the loopback) crosses only its veth pair and
# nothing reaches an address outside it. What needs the network (Debian packages, the npm libraries, the NuGet restore
# and the build) happens first, outside; the namespace is removed afterwards unless CC_KEEP_SERVICES=1.
NETNS=${CC_TEST_NETNS:-cc-test-$PG_PORT}
if [[ $(ip netns identify 2>/dev/null || true) != "$NETNS" ]]; then
    cc_ensure_packages
    cc_vendor_web
    cc_log "building CommandCenter.sln (Release)"
    dotnet build "$ROOT/CommandCenter.sln" -c Release --nologo -v quiet -clp:ErrorsOnly || {
        echo "cc: the build failed (see the errors above)" >&2
        echo "0 passed, 1 failed, 0 skipped"
        exit 1
    }
    cc_netns_create "$NETNS"
    set +e
    ip netns exec "$NETNS" bash "$ROOT/test.sh" "$@"
    rc=$?
    set -e
    [[ ${CC_KEEP_SERVICES:-0} == 1 ]] || cc_netns_delete "$NETNS"
    exit "$rc"
fi

BUILT=(--no-build)
cc_lock "$DATA/.lock" # one test.sh per data folder; services found running are leftovers and get adopted

# shellcheck disable=SC2317  # invoked by the traps
cleanup() {
    local rc=$?
    trap - INT TERM EXIT
    if [[ ${CC_KEEP_SERVICES:-0} != 1 ]]; then
        cc_stop_janus "$DATA/janus" || true
        cc_stop_redis "$DATA/redis" || true
        cc_stop_postgres "$DATA/postgres" || true
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

cc_ensure_packages
cc_start_postgres "$DATA/postgres" "$PG_PORT" -c fsync=off -c synchronous_commit=off -c full_page_writes=off
cc_recreate_database "$DATA/postgres" "$PG_PORT"
cc_start_redis "$DATA/redis" "$REDIS_PORT"
redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null
# Janus posts its events to the video tests' host, which listens on JANUS_EVENTS_PORT besides its own port.
JANUS_EVENTS_PORT=$((JANUS_PORT + 2))
cc_start_janus "$DATA/janus" "$JANUS_PORT" "$JANUS_ADMIN_PORT" "http://127.0.0.1:$JANUS_EVENTS_PORT/api/video/events" v0

CC_TEST_POSTGRES=$(cc_postgres_connection "$PG_PORT")
export CC_TEST_POSTGRES
export CC_TEST_REDIS="127.0.0.1:$REDIS_PORT"
export CC_TEST_JANUS="ws://127.0.0.1:$JANUS_PORT" CC_TEST_JANUS_ADMIN="ws://127.0.0.1:$JANUS_ADMIN_PORT" CC_TEST_JANUS_SECRETS="$DATA/janus/secrets.env"
export CC_TEST_JANUS_EVENTS_PORT="$JANUS_EVENTS_PORT"
export CC_CHROMIUM=/usr/bin/chromium
export CC_TEST_RESULTS="$RESULTS"

run_tests "$ROOT/CommandCenter.sln" "$@"

# The short fault tests (tests/faults/fault.sh), each counted as one test, on the build made above (the whole solution,
# the fault client too); when dotnet test ended before any test ran, they count as failed.
FAULT_RUNS=(
    "--seconds 10 --fault-after 5 --no-build"
    "--nodes 3 --seconds 30 --fault-after 8 --no-build"
    "--fault postgres --seconds 20 --fault-after 5 --down 10 --no-build"
    "--fault redis --nodes 3 --seconds 20 --fault-after 5 --down 10 --no-build"
    "--fault deadlines --rate 50 --seconds 2 --no-build"
)
if (($# == 0)); then
    fault=0
    for run in "${FAULT_RUNS[@]}"; do
        fault=$((fault + 1))
        if [[ ${CC_SKIP_FAULTS:-0} == 1 ]]; then
            CHECKS_SKIPPED=$((CHECKS_SKIPPED + 1))
            cc_log "fault test skipped (CC_SKIP_FAULTS=1): tests/faults/fault.sh $run"
        elif [[ -n $(find "$RESULTS" -name '*.trx' -type f -print -quit) ]]; then
            cc_log "fault test: tests/faults/fault.sh $run"
            faults_started=$SECONDS
            kept="$LOGS/faults/$fault"
            mkdir -p "$kept" && touch "$kept/.started"
            # shellcheck disable=SC2086  # each run is a list of options
            CC_TEST_SECRETS=$SECRETS "$ROOT/tests/faults/fault.sh" $run && outcome=passed || outcome=FAILED
            # The next run reuses .data/faults/: the logs this one wrote are kept with the results (and scanned).
            find "$ROOT/.data/faults" -maxdepth 1 -name '*.log' -newer "$kept/.started" -exec cp {} "$kept/" \; 2>/dev/null || true
            rm -f "$kept/.started"
            if [[ $outcome == passed ]]; then
                CHECKS_PASSED=$((CHECKS_PASSED + 1))
                cc_log "fault test passed in $((SECONDS - faults_started)) s"
            else
                CHECKS_FAILED=$((CHECKS_FAILED + 1))
                CHECKS_FAILURES+=("tests/faults/fault.sh $run")
                cc_log "fault test FAILED in $((SECONDS - faults_started)) s: tests/faults/fault.sh $run (the nodes' logs in $kept)"
            fi
        else
            CHECKS_FAILED=$((CHECKS_FAILED + 1))
            cc_log "fault test not run: the build failed"
        fi
    done
fi

# The secrets scan (see the header), counted as one test once the run recorded a secret; a whole run must have.
cut -d= -f2- "$DATA/janus/secrets.env" >>"$SECRETS"
if [[ -n $(find "$RESULTS" -name '*.trx' -type f -print -quit) ]]; then
    patterns=$(mktemp)
    grep -v '^$' "$SECRETS" | sort -u >"$patterns" || true
    logged=$(find "$LOGS" -type f -size +0 2>/dev/null | wc -l)
    if (($# == 0)) && ! grep -q . "$patterns"; then
        CHECKS_FAILED=$((CHECKS_FAILED + 1))
        CHECKS_FAILURES+=("secrets scan: the run recorded no secrets ($SECRETS)")
    elif (($# == 0)) && ((logged == 0)); then
        CHECKS_FAILED=$((CHECKS_FAILED + 1))
        CHECKS_FAILURES+=("secrets scan: the run wrote no logs ($LOGS)")
    else
        hits=$(find "$RESULTS" -type f \( -name '*.trx' -o -path "$LOGS/*" \) -print0 |
            xargs -0 -r grep -nF -f "$patterns" -- | cut -c1-400 || true)
        if [[ -n $hits ]]; then
            CHECKS_FAILED=$((CHECKS_FAILED + 1))
            CHECKS_FAILURES+=("secrets scan: $(wc -l <<<"$hits") lines of the logs or TRX files hold a secret of the run")
            echo "cc: secrets in the run's logs (secret scan; the secrets are in $SECRETS):" >&2
            head -n 20 <<<"$hits" >&2
        else
            CHECKS_PASSED=$((CHECKS_PASSED + 1))
            cc_log "secrets scan passed: $(wc -l <"$patterns") secrets, none in $logged log files or the TRX files"
        fi
    fi
    rm -f "$patterns"
fi
summarize "$TESTS_RC"
((CHECKS_FAILED == 0)) || exit 1
exit "$TESTS_RC"
