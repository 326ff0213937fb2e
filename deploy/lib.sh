# shellcheck shell=bash
# Helpers for run.sh, test.sh and the harnesses under tests/ (bench, faults): install the Debian packages the command
# center needs, start private PostgreSQL / Redis instances under the repository's .data/ folder, listening on
# 127.0.0.1 only, and start and stop the command center itself.
#
# Source this file (`. deploy/lib.sh`); it does not change shell options. Every function is safe under
# `set -euo pipefail`, and prints a clear message (prefixed "cc:") and returns non-zero on failure; all but
# cc_start_node and cc_start_app (which start one more node at every call) are idempotent and quiet on success.
#
# These scripts never apply SQL: the application embeds deploy/sql/**/*.sql and migrates the database at start-up.

CC_ROOT="${CC_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)}"
CC_DB_NAME="commandcenter"
CC_DB_USER="commandcenter"
CC_DB_PASSWORD="commandcenter"
# Set to 1 by cc_start_postgres / cc_start_redis when this shell started the server (0 when it reused one).
CC_STARTED_POSTGRES="${CC_STARTED_POSTGRES:-0}"
CC_STARTED_REDIS="${CC_STARTED_REDIS:-0}"

export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

cc_log() { printf 'cc: %s\n' "$*" >&2; }
cc_die() { printf 'cc: error: %s\n' "$*" >&2; return 1; }

# Run a command as root (directly, or through sudo when not root).
cc_as_root() {
    if [[ $(id -u) -eq 0 ]]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        cc_die "need root (or sudo) to run: $*"
    fi
}

_cc_deb_installed() {
    [[ $(dpkg-query -W -f='${Status}' "$1" 2>/dev/null || true) == "install ok installed" ]]
}

# Install whatever of postgresql, redis-server, ffmpeg, chromium, fonts-noto-cjk, haproxy, faketime and jq (the fake
# clock and the calendar of tests/faults/fault.sh --fault deadlines), and nodejs+npm when npm is absent, is missing.
# No apt call at all when everything is present.
cc_ensure_packages() {
    local -a missing=()
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || missing+=(postgresql)
    { command -v redis-server && command -v redis-cli; } >/dev/null 2>&1 || missing+=(redis-server)
    command -v ffmpeg >/dev/null 2>&1 || missing+=(ffmpeg)
    [[ -x /usr/bin/chromium ]] || missing+=(chromium)
    _cc_deb_installed fonts-noto-cjk || missing+=(fonts-noto-cjk)
    command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
    command -v haproxy >/dev/null 2>&1 || missing+=(haproxy)
    compgen -G '/usr/lib/*/faketime/libfaketime.so.1' >/dev/null || missing+=(faketime)
    command -v jq >/dev/null 2>&1 || missing+=(jq)
    command -v janus >/dev/null 2>&1 || missing+=(janus)
    ((${#missing[@]} == 0)) && return 0

    command -v apt-get >/dev/null 2>&1 || cc_die "missing ${missing[*]} and apt-get is not available; install them by hand" || return 1
    local log
    log=$(mktemp /tmp/cc-apt.XXXXXX.log)
    cc_log "installing Debian packages: ${missing[*]} (a few minutes on a fresh machine; log: $log)"
    if ! cc_as_root env DEBIAN_FRONTEND=noninteractive apt-get update >"$log" 2>&1 ||
        ! cc_as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold "${missing[@]}" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        cc_die "apt-get failed installing ${missing[*]}; full log in $log"
        return 1
    fi
    rm -f "$log"
    # Debian's janus package enables a system-wide Janus with its shipped configuration (a known admin secret, every
    # interface): the command center runs its own (cc_start_janus), so that one is stopped and disabled.
    if [[ " ${missing[*]} " == *" janus "* ]] && command -v systemctl >/dev/null 2>&1; then
        cc_as_root systemctl disable --now janus.service >/dev/null 2>&1 || true
    fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Network namespaces (the media of the video tests and the bench stays inside one)
# ---------------------------------------------------------------------------------------------------------------------

# cc_netns_create NAME: makes the network namespace NAME (idempotent) with its loopback up and a veth pair whose both
# ends are inside it, v0 10.200.0.1/24 and v1 10.200.0.2/24, and no route out: Janus (which ignores the loopback) and
# the browsers exchange media over v0/v1, and nothing run inside reaches any address outside the namespace.
cc_netns_create() {
    (($# == 1)) || cc_die "usage: cc_netns_create NAME" || return 1
    local ns=$1
    if ! ip netns list 2>/dev/null | grep -qw -- "$ns"; then
        cc_as_root ip netns add "$ns" || cc_die "could not create the network namespace $ns (needs root and CAP_SYS_ADMIN)" || return 1
    fi
    if ! ip -n "$ns" -br addr show dev v0 2>/dev/null | grep -q '10\.200\.0\.1/24'; then
        ip -n "$ns" link del v0 >/dev/null 2>&1 || true
        cc_as_root ip -n "$ns" link add v0 type veth peer name v1 &&
            cc_as_root ip -n "$ns" addr add 10.200.0.1/24 dev v0 &&
            cc_as_root ip -n "$ns" addr add 10.200.0.2/24 dev v1 || cc_die "could not make the veth pair in $ns" || return 1
    fi
    cc_as_root ip -n "$ns" link set lo up && cc_as_root ip -n "$ns" link set v0 up && cc_as_root ip -n "$ns" link set v1 up ||
        cc_die "could not bring up the interfaces of $ns" || return 1
}

# cc_netns_delete NAME: removes the network namespace NAME, if it exists (stop what runs inside first).
cc_netns_delete() {
    (($# == 1)) || cc_die "usage: cc_netns_delete NAME" || return 1
    if ip netns list 2>/dev/null | grep -qw -- "$1"; then
        cc_as_root ip netns del "$1" || cc_die "could not remove the network namespace $1" || return 1
    fi
}

# ---------------------------------------------------------------------------------------------------------------------
# Janus Gateway (video conference and roll call, issue 17)
# ---------------------------------------------------------------------------------------------------------------------

# cc_start_janus DIR PORT ADMIN_PORT EVENTS_URL [ICE_INTERFACES]: starts Debian's Janus with a configuration written to
# DIR (never /etc/janus): only the VideoRoom plugin and the WebSocket transport, the API on 127.0.0.1:PORT and the admin
# API on 127.0.0.1:ADMIN_PORT, token authentication (signed tokens: token_auth_secret), its own admin secret and
# VideoRoom admin key (so only our server creates rooms), and the sample event handler posting sessions, handles,
# plugin, WebRTC and media events to EVENTS_URL (the command center's /api/video/events) with HTTP basic auth
# ("janus" and JANUS_EVENTS_SECRET). ICE_INTERFACES (Janus' ice_enforce_list: interface names or address prefixes,
# comma-separated) limits the addresses media uses; without it Janus uses every interface but the loopback, which
# libnice ignores. The secrets are generated once into DIR/secrets.env (mode 600) and kept.
# Adopts a Janus already running from DIR with the same settings; sets CC_STARTED_JANUS (1 when it started one).
cc_start_janus() {
    (($# == 4 || $# == 5)) || cc_die "usage: cc_start_janus DIR PORT ADMIN_PORT EVENTS_URL [ICE_INTERFACES]" || return 1
    local dir port admin events ice libdir pid i settings
    dir=$(_cc_abspath "$1")
    port=$2
    admin=$3
    events=$4
    ice=${5:-}
    [[ $port =~ ^[0-9]+$ && $admin =~ ^[0-9]+$ ]] || cc_die "cc_start_janus: bad ports '$port' '$admin'" || return 1
    libdir=$(compgen -G '/usr/lib/*/janus' | head -n 1)
    [[ -n $libdir && -x $(command -v janus) ]] || cc_die "janus is not installed (cc_ensure_packages installs it)" || return 1
    mkdir -p "$dir" || return 1
    if [[ ! -f $dir/secrets.env ]]; then
        (umask 077 && printf 'JANUS_ADMIN_SECRET=%s\nJANUS_TOKEN_SECRET=%s\nJANUS_ROOM_ADMIN_KEY=%s\n' \
            "$(_cc_secret)" "$(_cc_secret)" "$(_cc_secret)" >"$dir/secrets.env") || return 1
    fi
    if ! grep -q '^JANUS_EVENTS_SECRET=' "$dir/secrets.env"; then
        printf 'JANUS_EVENTS_SECRET=%s\n' "$(_cc_secret)" >>"$dir/secrets.env" || return 1
    fi
    # shellcheck disable=SC1091
    . "$dir/secrets.env"
    settings=$(_cc_janus_settings "$dir" "$libdir" "$port" "$admin" "$events" "$ice")
    if pid=$(_cc_janus_pid "$dir") && [[ -f $dir/settings && $(<"$dir/settings") == "$settings" ]] && _cc_janus_answers "$port"; then
        CC_STARTED_JANUS=0
        printf 'cc: Janus on ws://127.0.0.1:%s (already running, pid %s)\n' "$port" "$pid"
        return 0
    fi
    cc_stop_janus "$dir" >/dev/null || return 1
    printf '%s\n' "$settings" >"$dir/settings"
    _cc_janus_write_config "$dir" "$libdir" "$port" "$admin" "$events" "$ice" || return 1
    rm -f "$dir/janus.log"
    if ! janus -b -N -o -C "$dir/janus.jcfg" -F "$dir" -p "$dir/janus.pid" -L "$dir/janus.log" >/dev/null 2>&1; then
        tail -n 20 "$dir/janus.log" >&2 2>/dev/null || true
        cc_die "janus did not start (log $dir/janus.log)"
        return 1
    fi
    for ((i = 0; i < 100; i++)); do
        _cc_janus_answers "$port" && break
        sleep 0.1
    done
    if ! _cc_janus_answers "$port"; then
        tail -n 20 "$dir/janus.log" >&2 2>/dev/null || true
        cc_die "Janus does not answer on 127.0.0.1:$port; is the port taken? (log $dir/janus.log)"
        return 1
    fi
    CC_STARTED_JANUS=1
    printf 'cc: Janus %s on ws://127.0.0.1:%s, admin ws://127.0.0.1:%s (started, pid %s, log %s)\n' \
        "$(dpkg-query -W -f '${Version}' janus 2>/dev/null)" "$port" "$admin" "$(_cc_janus_pid "$dir" || echo '?')" "$dir/janus.log"
}

# cc_stop_janus DIR: stops the Janus started from DIR, if any.
cc_stop_janus() {
    (($# == 1)) || cc_die "usage: cc_stop_janus DIR" || return 1
    local dir pid i
    dir=$(_cc_abspath "$1")
    pid=$(_cc_janus_pid "$dir") || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        kill -9 "$pid" 2>/dev/null || true
    fi
    rm -f "$dir/janus.pid"
    printf 'cc: Janus stopped (pid %s)\n' "$pid"
}

_cc_secret() { head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n'; }

_cc_janus_pid() { # DIR: the pid of a running Janus started from DIR
    local pid
    pid=$(cat "$1/janus.pid" 2>/dev/null) || return 1
    [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null && [[ $(readlink "/proc/$pid/exe" 2>/dev/null) == */janus ]] && printf '%s' "$pid"
}

_cc_janus_answers() { # PORT: the WebSocket transport takes a connection (curl then waits out its second: the code is what counts)
    [[ $(curl -s -o /dev/null --max-time 1 -H 'Connection: Upgrade' -H 'Upgrade: websocket' -H 'Sec-WebSocket-Version: 13' \
        -H 'Sec-WebSocket-Key: Y2NqYW51c3Byb2JlMDAwMA==' -H 'Sec-WebSocket-Protocol: janus-protocol' -w '%{http_code}' \
        "http://127.0.0.1:$1/" 2>/dev/null) == 101 ]]
}

_cc_janus_settings() { # DIR LIBDIR PORT ADMIN_PORT EVENTS_URL ICE_INTERFACES: what the running Janus must have been started with
    printf 'dir=%s lib=%s port=%s admin=%s events=%s ice=%s secrets=%s netns=%s\n' "$1" "$2" "$3" "$4" "$5" "$6" \
        "$(md5sum <"$1/secrets.env" | cut -c1-32)" "$(ip netns identify 2>/dev/null || true)"
}

_cc_janus_write_config() { # DIR LIBDIR PORT ADMIN_PORT EVENTS_URL ICE_INTERFACES (the secrets are in the environment)
    local dir=$1 lib=$2 port=$3 admin=$4 events=$5 ice=$6 p disabled handlers enforce
    handlers=$(for p in "$lib"/events/libjanus_*.so; do [[ $p == */libjanus_sampleevh.so ]] || basename "$p"; done | paste -sd, -)
    enforce=
    [[ -z $ice ]] || enforce="    ice_enforce_list = \"$ice\""
    disabled=$(for p in "$lib"/plugins/libjanus_*.so; do [[ $p == */libjanus_videoroom.so ]] || basename "$p"; done | paste -sd, -)
    cat >"$dir/janus.jcfg" <<JCFG || return 1
# Written by deploy/lib.sh (cc_start_janus) for the command center; rewritten on every start.
general: {
    configs_folder = "$dir"
    plugins_folder = "$lib/plugins"
    transports_folder = "$lib/transports"
    events_folder = "$lib/events"
    loggers_folder = "$lib/loggers"
    debug_level = 4
    server_name = "CommandCenter"
    session_timeout = 60
    admin_secret = "$JANUS_ADMIN_SECRET"
    token_auth = true
    token_auth_secret = "$JANUS_TOKEN_SECRET"
    hide_dependencies = true
}
media: {
    rtp_port_range = "20000-20999"
}
nat: {
    nice_debug = false
$enforce
}
plugins: {
    disable = "$disabled"
}
transports: {
    disable = "libjanus_http.so,libjanus_mqtt.so,libjanus_nanomsg.so,libjanus_pfunix.so,libjanus_rabbitmq.so"
}
events: {
    broadcast = true
    disable = "$handlers"
    stats_period = 0
}
loggers: {
    disable = "libjanus_jsonlog.so"
}
JCFG
    cat >"$dir/janus.transport.websockets.jcfg" <<WSCFG || return 1
general: {
    json = "compact"
    ws = true
    ws_port = $port
    ws_ip = "127.0.0.1"
    wss = false
}
admin: {
    admin_ws = true
    admin_ws_port = $admin
    admin_ws_ip = "127.0.0.1"
    admin_wss = false
}
WSCFG
    cat >"$dir/janus.plugin.videoroom.jcfg" <<VRCFG || return 1
general: {
    admin_key = "$JANUS_ROOM_ADMIN_KEY"
    lock_rtp_forward = true
    string_ids = true
}
VRCFG
    cat >"$dir/janus.eventhandler.sampleevh.jcfg" <<EVCFG || return 1
general: {
    enabled = true
    events = "sessions,handles,plugins,webrtc,media"
    grouping = true
    json = "compact"
    backend = "$events"
    backend_user = "janus"
    backend_pwd = "$JANUS_EVENTS_SECRET"
    max_retransmissions = 3
    retransmissions_backoff = 100
}
EVCFG
}

# ---------------------------------------------------------------------------------------------------------------------
# PostgreSQL
# ---------------------------------------------------------------------------------------------------------------------

_cc_abspath() { # absolute path, even when it does not exist yet
    local p=$1
    [[ $p == /* ]] || p="$PWD/$p"
    # collapse /./ and trailing slashes (no symlink resolution needed here)
    p=$(printf '%s' "$p" | sed -e 's#/\./#/#g' -e 's#/\.$##' -e 's#//*#/#g' -e 's#\(.\)/$#\1#')
    printf '%s' "$p"
}

# Directory of the PostgreSQL binaries: the version that created DATA_DIR if it exists, else the newest installed.
_cc_pg_bindir() {
    local data=$1 ver bindir
    if [[ -f $data/PG_VERSION ]]; then
        ver=$(<"$data/PG_VERSION")
        bindir="/usr/lib/postgresql/$ver/bin"
        [[ -x $bindir/pg_ctl ]] || cc_die "$data was created by PostgreSQL $ver, which is not installed (remove $data to start afresh)" || return 1
    else
        bindir=$(compgen -G '/usr/lib/postgresql/*/bin/initdb' | sort -V | tail -n 1)
        [[ -n $bindir ]] || cc_die "PostgreSQL is not installed (run cc_ensure_packages)" || return 1
        bindir=${bindir%/initdb}
    fi
    printf '%s' "$bindir"
}

_cc_pg() { runuser -u postgres -- "$@"; }

# Let the postgres user traverse every ancestor of $1 (adds only o+x where it is missing, and says so).
_cc_make_traversable() {
    local dir=$1
    local -a ancestors=()
    while [[ $dir != / && -n $dir ]]; do
        dir=$(dirname "$dir")
        ancestors=("$dir" "${ancestors[@]}")
    done
    for dir in "${ancestors[@]}"; do # from / downwards
        if ! runuser -u postgres -- test -x "$dir" 2>/dev/null; then
            chmod o+x "$dir" || cc_die "the postgres user cannot reach $dir; make it traversable (chmod o+x) or move the data folder" || return 1
            cc_log "note: added o+x to $dir so the postgres user can reach its data folder"
        fi
    done
}

# Print the settings file content for this cluster (one `name = 'value'` per line).
_cc_pg_settings() {
    local port=$1 sock=$2
    shift 2
    printf '%s\n' "# Written by deploy/lib.sh at every start; edit run.sh/test.sh instead."
    printf "listen_addresses = '127.0.0.1'\nport = %s\nunix_socket_directories = '%s'\nmax_connections = 300\n" \
        "$port" "${sock//\'/\'\'}"
    local arg name value
    while (($#)); do
        arg=$1
        shift
        if [[ $arg == -c ]]; then
            (($#)) || cc_die "cc_start_postgres: -c needs a name=value" || return 1
            arg=$1
            shift
        fi
        [[ $arg == *=* ]] || cc_die "cc_start_postgres: setting '$arg' is not name=value" || return 1
        name=${arg%%=*}
        value=${arg#*=}
        printf "%s = '%s'\n" "$name" "${value//\'/\'\'}"
    done
}

_cc_pg_running() { # data_dir bindir
    _cc_pg "$2/pg_ctl" -D "$1" status >/dev/null 2>&1
}

# Run SQL as the postgres superuser over the cluster's private unix socket.
_cc_psql_admin() { # data_dir port psql-args...
    local data=$1 port=$2 bindir
    shift 2
    bindir=$(_cc_pg_bindir "$data") || return 1
    _cc_pg "$bindir/psql" -X -q -v ON_ERROR_STOP=1 -h "$(dirname "$data")/pg-socket" -p "$port" -U postgres -d postgres "$@"
}

# Create the commandcenter role and database when they are missing.
_cc_pg_ensure_db() { # data_dir port
    local out
    out=$(_cc_psql_admin "$1" "$2" -At -c "SELECT 1 FROM pg_roles WHERE rolname = '$CC_DB_USER'") || return 1
    if [[ $out != 1 ]]; then
        _cc_psql_admin "$1" "$2" -c "CREATE ROLE $CC_DB_USER LOGIN CREATEDB PASSWORD '$CC_DB_PASSWORD'" || return 1
    fi
    out=$(_cc_psql_admin "$1" "$2" -At -c "SELECT 1 FROM pg_database WHERE datname = '$CC_DB_NAME'") || return 1
    if [[ $out != 1 ]]; then
        _cc_psql_admin "$1" "$2" -c "CREATE DATABASE $CC_DB_NAME OWNER $CC_DB_USER ENCODING 'UTF8' TEMPLATE template0" || return 1
    fi
}

# cc_start_postgres DATA_DIR PORT [-c name=value ...]
# Private cluster run by the postgres user: data in DATA_DIR, socket in DATA_DIR/../pg-socket, log in
# DATA_DIR/../postgres.log, TCP on 127.0.0.1:PORT only. Local (socket) connections use peer auth (only the postgres OS
# user gets in); TCP connections need a password (scram-sha-256). Reuses a running server on the same DATA_DIR.
cc_start_postgres() {
    (($# >= 2)) || cc_die "usage: cc_start_postgres DATA_DIR PORT [-c name=value ...]" || return 1
    local data port base sock logf bindir settings conf
    data=$(_cc_abspath "$1")
    port=$2
    shift 2
    [[ $port =~ ^[0-9]+$ ]] || cc_die "cc_start_postgres: bad port '$port'" || return 1
    id postgres >/dev/null 2>&1 || cc_die "no 'postgres' OS user; is the postgresql package installed?" || return 1
    [[ $(id -u) -eq 0 ]] || cc_die "cc_start_postgres must run as root (it runs the server as the postgres user)" || return 1
    base=$(dirname "$data")
    sock="$base/pg-socket"
    logf="$base/postgres.log"
    settings=$(_cc_pg_settings "$port" "$sock" "$@") || return 1

    mkdir -p "$data" "$sock" || return 1
    touch "$logf"
    chown postgres:postgres "$data" "$sock" "$logf"
    chmod 700 "$data"
    chmod 755 "$sock"
    chmod 640 "$logf"
    _cc_make_traversable "$data" || return 1
    bindir=$(_cc_pg_bindir "$data") || return 1

    if [[ ! -f $data/PG_VERSION ]]; then
        local initlog
        if ! initlog=$(_cc_pg "$bindir/initdb" -D "$data" -U postgres -E UTF8 --locale=C.UTF-8 \
            --auth-local=peer --auth-host=scram-sha-256 --no-instructions 2>&1); then
            printf '%s\n' "$initlog" >&2
            cc_die "initdb failed for $data"
            return 1
        fi
        printf "\n# Settings for the command center's private cluster (deploy/lib.sh).\ninclude_if_exists = 'commandcenter.conf'\n" \
            | _cc_pg tee -a "$data/postgresql.conf" >/dev/null
    fi

    conf="$data/commandcenter.conf"
    if _cc_pg_running "$data" "$bindir"; then
        if [[ -f $conf && $(<"$conf") == "$settings" ]] &&
            "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 5; then
            CC_STARTED_POSTGRES=0
            _cc_pg_ensure_db "$data" "$port" || return 1
            printf 'cc: PostgreSQL %s on 127.0.0.1:%s (already running, data %s)\n' "$(<"$data/PG_VERSION")" "$port" "$data"
            return 0
        fi
        cc_log "PostgreSQL on $data runs with other settings; restarting it"
        _cc_pg "$bindir/pg_ctl" -D "$data" -m fast -w -s stop >/dev/null 2>&1 || true
    fi
    printf '%s\n' "$settings" | _cc_pg tee "$conf" >/dev/null

    if ! _cc_pg "$bindir/pg_ctl" -D "$data" -l "$logf" -w -t 60 -s start >/dev/null 2>&1; then
        tail -n 20 "$logf" >&2
        cc_die "PostgreSQL did not start on 127.0.0.1:$port (data $data, log $logf); is the port taken?"
        return 1
    fi
    local i
    for ((i = 0; i < 60; i++)); do
        "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 && break
        sleep 0.5
    done
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -t 1 ||
        cc_die "PostgreSQL started but does not accept connections on 127.0.0.1:$port (log $logf)" || return 1
    CC_STARTED_POSTGRES=1
    _cc_pg_ensure_db "$data" "$port" || return 1
    printf 'cc: PostgreSQL %s on 127.0.0.1:%s (started, data %s, log %s)\n' "$(<"$data/PG_VERSION")" "$port" "$data" "$logf"
}

# cc_recreate_database DATA_DIR PORT: drop (disconnecting any sessions) and recreate the commandcenter database.
cc_recreate_database() {
    (($# == 2)) || cc_die "usage: cc_recreate_database DATA_DIR PORT" || return 1
    local data
    data=$(_cc_abspath "$1")
    _cc_psql_admin "$data" "$2" -c "DROP DATABASE IF EXISTS $CC_DB_NAME WITH (FORCE)" || return 1
    _cc_pg_ensure_db "$data" "$2"
}

# cc_stop_postgres DATA_DIR: fast shutdown (no-op when it is not running).
cc_stop_postgres() {
    (($# == 1)) || cc_die "usage: cc_stop_postgres DATA_DIR" || return 1
    local data bindir
    data=$(_cc_abspath "$1")
    [[ -f $data/PG_VERSION ]] || return 0
    bindir=$(_cc_pg_bindir "$data") || return 1
    _cc_pg_running "$data" "$bindir" || return 0
    if ! _cc_pg "$bindir/pg_ctl" -D "$data" -m fast -w -t 60 -s stop >/dev/null 2>&1; then
        cc_die "could not stop PostgreSQL in $data"
        return 1
    fi
    printf 'cc: PostgreSQL stopped (data %s)\n' "$data"
}

# ---------------------------------------------------------------------------------------------------------------------
# Redis (SignalR backplane and caches only: no persistence)
# ---------------------------------------------------------------------------------------------------------------------

_cc_redis_pid() { # dir -> prints the pid of a live redis-server started in dir, or fails
    local pidf="$1/redis.pid" pid
    [[ -f $pidf ]] || return 1
    pid=$(<"$pidf")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == redis-server* ]] || return 1
    printf '%s' "$pid"
}

# cc_start_redis DIR PORT: redis-server on 127.0.0.1:PORT, pid/log in DIR, no RDB/AOF. Reuses a running one.
cc_start_redis() {
    (($# == 2)) || cc_die "usage: cc_start_redis DIR PORT" || return 1
    local dir port pid i
    dir=$(_cc_abspath "$1")
    port=$2
    [[ $port =~ ^[0-9]+$ ]] || cc_die "cc_start_redis: bad port '$port'" || return 1
    mkdir -p "$dir" || return 1
    if pid=$(_cc_redis_pid "$dir") && [[ $(cat "$dir/redis.port" 2>/dev/null) == "$port" ]] &&
        [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]]; then
        CC_STARTED_REDIS=0
        printf 'cc: Redis on 127.0.0.1:%s (already running, pid %s)\n' "$port" "$pid"
        return 0
    fi
    if pid=$(_cc_redis_pid "$dir"); then # running with another port: restart it
        kill "$pid" 2>/dev/null || true
        for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    fi
    rm -f "$dir/redis.pid"
    printf '%s\n' "$port" >"$dir/redis.port"
    if ! redis-server --port "$port" --bind 127.0.0.1 --protected-mode yes --save "" --appendonly no \
        --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" >/dev/null 2>&1; then
        tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
        cc_die "redis-server did not start on 127.0.0.1:$port (log $dir/redis.log)"
        return 1
    fi
    for ((i = 0; i < 100; i++)); do
        [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) == PONG ]] && break
        sleep 0.1
    done
    if [[ $(redis-cli -h 127.0.0.1 -p "$port" ping 2>/dev/null) != PONG ]]; then
        tail -n 20 "$dir/redis.log" >&2 2>/dev/null || true
        cc_die "Redis does not answer on 127.0.0.1:$port; is the port taken? (log $dir/redis.log)"
        return 1
    fi
    # The daemon writes its pid file shortly after it starts listening.
    for ((i = 0; i < 50; i++)); do pid=$(_cc_redis_pid "$dir") && break; sleep 0.1; done
    CC_STARTED_REDIS=1
    printf 'cc: Redis %s on 127.0.0.1:%s (started, pid %s, log %s)\n' \
        "$(redis-server --version | sed -n 's/.* v=\([^ ]*\).*/\1/p')" "$port" "${pid:-?}" "$dir/redis.log"
}

# cc_stop_redis DIR: stop the redis-server started in DIR (no-op when it is not running).
cc_stop_redis() {
    (($# == 1)) || cc_die "usage: cc_stop_redis DIR" || return 1
    local dir pid i
    dir=$(_cc_abspath "$1")
    pid=$(_cc_redis_pid "$dir") || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 100; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        cc_die "Redis (pid $pid) did not stop"
        return 1
    fi
    rm -f "$dir/redis.pid"
    printf 'cc: Redis stopped (pid %s)\n' "$pid"
}

# ---------------------------------------------------------------------------------------------------------------------
# haproxy: one address in front of several web nodes
# ---------------------------------------------------------------------------------------------------------------------

_cc_haproxy_pid() { # dir -> prints the pid of a live haproxy started in dir, or fails
    local pidf="$1/haproxy.pid" pid
    [[ -f $pidf ]] || return 1
    pid=$(head -n 1 "$pidf")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(cat "/proc/$pid/comm" 2>/dev/null) == haproxy ]] || return 1
    printf '%s' "$pid"
}

# cc_start_haproxy DIR PORT NODE...: haproxy (Debian's) on 127.0.0.1:PORT in front of the web nodes NODE (host:port
# each), configuration DIR/haproxy.cfg written here. Round robin for a first request; then the cookie CCNODE keeps a
# browser on the node it came to, so a hub connection's negotiation and its WebSocket reach the same node, and the
# WebSocket stays open (timeout tunnel). A node is taken out while /health/ready does not answer 200 (checked every
# second, out after two failures, back after two successes) and a request for it goes to another (redispatch). With
# no node able to answer, haproxy's 503 is problem+json with Retry-After, like the app's own. A haproxy left running
# in DIR is replaced.
cc_start_haproxy() {
    (($# >= 3)) || cc_die "usage: cc_start_haproxy DIR PORT NODE..." || return 1
    local dir port node n=0 pid i fds maxconn
    dir=$(_cc_abspath "$1")
    port=$2
    shift 2
    mkdir -p "$dir" || return 1
    cc_stop_haproxy "$dir" || return 1
    printf '%s\r\n' 'HTTP/1.1 503 Service Unavailable' 'Content-Type: application/problem+json' 'Retry-After: 2' \
        'Cache-Control: no-store' 'Connection: close' '' >"$dir/503.http"
    printf '%s' '{"type":"https://tools.ietf.org/html/rfc9110#section-15.6.4","title":"Service unavailable.","status":503,' \
        '"detail":"No node of the command center can answer right now; retry in a moment (with the same Idempotency-Key)."}' >>"$dir/503.http"
    # Each connection takes two descriptors (client and node): as many connections as this shell's limit allows, up to 20,000.
    fds=$(ulimit -n)
    [[ $fds =~ ^[0-9]+$ ]] || fds=40100
    maxconn=$(((fds - 100) / 2))
    ((maxconn <= 20000)) || maxconn=20000
    {
        printf '%s\n' 'global' "    maxconn $maxconn" '' 'defaults' '    mode http' '    option forwardfor' \
            '    option redispatch' '    retries 2' '    timeout connect 2s' '    timeout client 60s' '    timeout server 60s' \
            '    timeout http-request 10s' '    timeout tunnel 1h' "    errorfile 503 $dir/503.http" '' \
            'frontend commandcenter' "    bind 127.0.0.1:$port" '    default_backend web' '' \
            'backend web' '    balance roundrobin' '    cookie CCNODE insert indirect nocache httponly' \
            '    option httpchk GET /health/ready' '    http-check expect status 200' '    default-server inter 1s fall 2 rise 2'
        for node in "$@"; do
            n=$((n + 1))
            printf '    server web%s %s check cookie web%s\n' "$n" "$node" "$n"
        done
    } >"$dir/haproxy.cfg"
    haproxy -c -q -f "$dir/haproxy.cfg" || cc_die "haproxy refuses $dir/haproxy.cfg" || return 1
    haproxy -D -f "$dir/haproxy.cfg" -p "$dir/haproxy.pid" || cc_die "haproxy did not start on 127.0.0.1:$port" || return 1
    for ((i = 0; i < 50; i++)); do pid=$(_cc_haproxy_pid "$dir") && break; sleep 0.1; done
    printf 'cc: haproxy on 127.0.0.1:%s in front of %s (pid %s, configuration %s)\n' "$port" "$*" "${pid:-?}" "$dir/haproxy.cfg"
}

# cc_stop_haproxy DIR: stops the haproxy started in DIR (no-op when it is not running).
cc_stop_haproxy() {
    local dir pid i
    dir=$(_cc_abspath "$1")
    pid=$(_cc_haproxy_pid "$dir") || return 0
    kill "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 50; i++)); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    ! kill -0 "$pid" 2>/dev/null || cc_die "haproxy (pid $pid) did not stop" || return 1
    rm -f "$dir/haproxy.pid"
}

# ---------------------------------------------------------------------------------------------------------------------
# Front-end libraries and locking
# ---------------------------------------------------------------------------------------------------------------------

# cc_vendor_web: fill web/wwwroot/lib from the pinned npm packages when it is missing or stale.
cc_vendor_web() {
    if bash "$CC_ROOT/deploy/vendor-web.sh" --check >/dev/null 2>&1; then
        printf 'cc: web libraries current in web/wwwroot/lib\n'
        return 0
    fi
    bash "$CC_ROOT/deploy/vendor-web.sh"
}

_cc_proc_start() { # pid -> start time in clock ticks since boot (field 22 of /proc/PID/stat); fails if not alive
    local stat
    local -a f
    stat=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
    stat=${stat##*) } # drop "pid (comm) ", comm may contain spaces
    read -r -a f <<<"$stat"
    [[ ${f[0]} != [ZX] ]] || return 1 # zombie or dead
    printf '%s' "${f[19]}"
}

# cc_lock FILE: claim FILE's folder for this shell (pid and start time written to FILE), or fail at once if a live
# process claimed it (so two run.sh, or two test.sh, never share one data folder). A claim by a process that has
# exited is taken over. No file descriptor stays open, so servers started later do not inherit the claim.
cc_lock() {
    (($# == 1)) || cc_die "usage: cc_lock FILE" || return 1
    local file=$1 me rc=0
    mkdir -p "$(dirname "$file")" || return 1
    me="$$ $(_cc_proc_start $$)"
    (
        flock -w 10 9 || exit 3
        read -r pid start 2>/dev/null <"$file" || true
        if [[ ${pid:-} =~ ^[0-9]+$ && "$pid $start" != "$me" ]] && [[ $(_cc_proc_start "$pid" || true) == "$start" ]]; then
            exit 2
        fi
        printf '%s\n' "$me" >"$file"
    ) 9>>"$file.flock" || rc=$?
    case $rc in
    0) return 0 ;;
    2) cc_die "$(dirname "$file") is in use by process $(cut -d' ' -f1 "$file") ($(tr '\0' ' ' <"/proc/$(cut -d' ' -f1 "$file")/cmdline" 2>/dev/null || true))" ;;
    *) cc_die "could not claim $(dirname "$file") (lock $file.flock)" ;;
    esac
}

# cc_postgres_connection PORT [POOL]: the app's connection string to the private PostgreSQL on PORT. The pool holds at
# most POOL connections (100); each node has two pools (Orleans' and its own), so the nodes of one server together must
# stay within its max_connections of 300 (three nodes: 46 each).
cc_postgres_connection() {
    printf 'Host=127.0.0.1;Port=%s;Database=%s;Username=%s;Password=%s;Maximum Pool Size=%s;No Reset On Close=true' \
        "$1" "$CC_DB_NAME" "$CC_DB_USER" "$CC_DB_PASSWORD" "${2:-100}"
}

# The harnesses under tests/ (bench, faults) run the command center with the next five functions. A harness calls
# cc_harness_ports first; the others read the ports it sets. Its data folder DATA holds pg/, redis/, web.log (the
# app's output) and web.pid.

# cc_harness_ports PREFIX PG REDIS APP SILO GATEWAY: sets PG_PORT, REDIS_PORT, APP_URL (http://127.0.0.1:APP),
# SILO_PORT and GATEWAY_PORT from the environment variables PREFIX_PG_PORT, PREFIX_REDIS_PORT, PREFIX_APP_PORT,
# PREFIX_SILO_PORT and PREFIX_GATEWAY_PORT, each defaulting to the number given; fails, naming the variable, for
# anything but a number from 1 to 65535.
cc_harness_ports() {
    (($# == 6)) || cc_die "usage: cc_harness_ports PREFIX PG REDIS APP SILO GATEWAY" || return 1
    local prefix=$1 app
    PG_PORT=$(_cc_port "${prefix}_PG_PORT" "$2") || return 1
    REDIS_PORT=$(_cc_port "${prefix}_REDIS_PORT" "$3") || return 1
    app=$(_cc_port "${prefix}_APP_PORT" "$4") || return 1
    APP_URL=http://127.0.0.1:$app
    SILO_PORT=$(_cc_port "${prefix}_SILO_PORT" "$5") || return 1
    GATEWAY_PORT=$(_cc_port "${prefix}_GATEWAY_PORT" "$6") || return 1
}

_cc_port() { # NAME DEFAULT
    local value=${!1:-$2}
    [[ $value =~ ^[0-9]+$ ]] && ((value >= 1 && value <= 65535)) || cc_die "$1 must be a port number (1-65535), not '$value'" || return 1
    printf '%s' "$value"
}

# cc_start_harness_servers DATA: stops the nodes left in DATA/*.pid by a harness killed outright, refuses to
# go on while something else answers on APP_URL, installs what is missing, starts PostgreSQL in DATA/pg (fsync on, as
# in production) with the commandcenter database recreated and Redis in DATA/redis, flushed, and vendors the web
# libraries.
cc_start_harness_servers() {
    local data=$1 pidfile
    for pidfile in "$data"/*.pid; do
        [[ ! -e $pidfile ]] || cc_stop_leftover_app "$pidfile"
    done
    if curl -s -o /dev/null --max-time 2 "$APP_URL/health/live"; then
        cc_die "something already answers on $APP_URL; stop it first (the harness starts its own command center there)"
        return 1
    fi
    cc_ensure_packages || return 1
    cc_start_postgres "$data/pg" "$PG_PORT" 3>&- || return 1
    cc_recreate_database "$data/pg" "$PG_PORT" || return 1
    cc_start_redis "$data/redis" "$REDIS_PORT" 3>&- || return 1
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" flushall >/dev/null || return 1
    cc_vendor_web
}

# cc_stop_harness DATA APP_PID: stops the command center APP_PID (cc_stop_app) and removes DATA/web.pid, then stops the
# Redis and PostgreSQL of DATA; non-zero when one of them did not stop.
cc_stop_harness() {
    local data=$1 rc=0
    cc_stop_app "${2:-}"
    rm -f "$data/web.pid"
    cc_stop_redis "$data/redis" || rc=1
    cc_stop_postgres "$data/pg" || rc=1
    return "$rc"
}

# cc_start_node DATA NAME PROJECT URL SILO GATEWAY [NAME=VALUE ...]: starts one node of the command center, the Release
# build (made beforehand) of PROJECT (web: the web node, silo: the headless silo), through `dotnet run`, in a session of
# its own (setsid: its process group is `dotnet run` and the app under it), on URL (web only; - for the headless silo)
# with the Orleans ports SILO and GATEWAY, on the PostgreSQL of PG_PORT and the Redis of REDIS_PORT, in Production,
# with the demo county, without the simulator, the demo accounts' password from CC_DEMO_PASSWORD, the keys' certificate
# CommandCenter__Keys__CertificateFile (default DATA/keys/demo-keys.pfx, made by the app in demo mode), warnings and errors
# appended to DATA/NAME.log, its PostgreSQL pools CC_PG_POOL connections each (100; see cc_postgres_connection). Each
# NAME=VALUE is one more setting in its environment. Records the session's leader (`dotnet run`) in DATA/NAME.pid and
# in CC_APP_PID.
cc_start_node() {
    (($# >= 6)) || cc_die "usage: cc_start_node DATA NAME web|silo URL SILO GATEWAY [NAME=VALUE ...]" || return 1
    [[ -n ${CC_DEMO_PASSWORD:-} ]] || cc_die "cc_start_node: set CC_DEMO_PASSWORD (the demo accounts' password)" || return 1
    local data=$1 name=$2 project url=$4 silo=$5 gateway=$6
    case $3 in
    web) project=$CC_ROOT/web/CommandCenter.Web.csproj ;;
    silo) project=$CC_ROOT/silo/Headless/CommandCenter.Silo.csproj ;;
    *) cc_die "cc_start_node: the project is web or silo, not '$3'" || return 1 ;;
    esac
    shift 6
    local where=""
    [[ $url == - ]] || where=" on $url"
    cc_log "starting $name of the command center$where (Orleans ports $silo/$gateway, log $data/$name.log)"
    (
        ConnectionStrings__Postgres=$(cc_postgres_connection "$PG_PORT" "${CC_PG_POOL:-100}")
        export ConnectionStrings__Postgres
        export ConnectionStrings__Redis="127.0.0.1:$REDIS_PORT"
        export CommandCenter__DemoCounty=true
        export CommandCenter__Simulator__Enabled=false
        export CommandCenter__Access__DemoPassword=$CC_DEMO_PASSWORD
        export Logging__LogLevel__Default=Warning Logging__Console__TimestampFormat="HH:mm:ss.fff "
        [[ $url == - ]] || export ASPNETCORE_URLS=$url
        export ASPNETCORE_ENVIRONMENT=Production DOTNET_ENVIRONMENT=Production
        export Orleans__SiloPort=$silo Orleans__GatewayPort=$gateway
        export CommandCenter__Keys__CertificateFile=${CommandCenter__Keys__CertificateFile:-$data/keys/demo-keys.pfx}
        (($# == 0)) || export "$@"
        exec setsid dotnet run --no-build -c Release --project "$project" >>"$data/$name.log" 2>&1 </dev/null 3>&-
    ) &
    CC_APP_PID=$!
    printf '%s\n' "$CC_APP_PID" >"$data/$name.pid"
}

# cc_start_app DATA [NAME=VALUE ...]: the single web node of a harness (cc_start_node DATA web web APP_URL SILO_PORT
# GATEWAY_PORT ...): log DATA/web.log, pid DATA/web.pid and CC_APP_PID.
cc_start_app() {
    (($# >= 1)) || cc_die "usage: cc_start_app DATA [NAME=VALUE ...]" || return 1
    local data=$1
    shift
    cc_start_node "$data" web web "$APP_URL" "$SILO_PORT" "$GATEWAY_PORT" "$@"
}

# cc_wait_node_ready PID LOG URL SECONDS: waits until URL/health/ready answers 200; fails, showing the end of LOG, when
# the process PID ends first or SECONDS pass.
cc_wait_node_ready() {
    local pid=$1 log=$2 url=$3 deadline=$((SECONDS + $4))
    while ((SECONDS < deadline)); do
        if ! kill -0 "$pid" 2>/dev/null; then
            tail -n 40 "$log" >&2
            cc_die "the command center exited during start-up (log $log)"
            return 1
        fi
        [[ $(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$url/health/ready" || true) != 200 ]] || return 0
        sleep 0.1
    done
    tail -n 40 "$log" >&2
    cc_die "the command center was not ready within $4 s (log $log)"
}

# cc_wait_cluster COUNT SECONDS: waits until COUNT silos are active in the membership table of the PostgreSQL on
# PG_PORT (the headless silo has no health endpoint); fails when SECONDS pass first.
cc_wait_cluster() {
    local count=$1 deadline=$((SECONDS + $2)) active=""
    while ((SECONDS < deadline)); do
        active=$(PGPASSWORD=$CC_DB_PASSWORD psql -h 127.0.0.1 -p "$PG_PORT" -U "$CC_DB_USER" -d "$CC_DB_NAME" -Atqc \
            "SELECT count(*) FROM orleansmembershiptable WHERE status = 3" 2>/dev/null || true)
        [[ $active != "$count" ]] || return 0
        sleep 0.2
    done
    cc_die "the cluster has ${active:-no} active silo(s), not $count, after $2 s"
}

# cc_wait_app_ready PID DATA SECONDS: cc_wait_node_ready for the harness's single web node (APP_URL, DATA/web.log).
cc_wait_app_ready() { cc_wait_node_ready "$1" "$2/web.log" "$APP_URL" "$3"; }

# cc_stop_app PID: stops a command center started with setsid (its whole process group: `dotnet run` and the app
# under it) with SIGTERM, then SIGKILL if it is still there after 60 s. Nothing to do for an empty or dead PID.
cc_stop_app() {
    local pid=${1:-} i
    [[ -n $pid ]] && kill -0 "$pid" 2>/dev/null || return 0
    cc_log "stopping the command center (pid $pid)"
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 600; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
    done
    if kill -0 "$pid" 2>/dev/null; then
        cc_log "the command center did not stop within 60 s; killing it"
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    fi
    wait "$pid" 2>/dev/null || true
}

# cc_stop_leftover_app PIDFILE: a script killed outright (kill -9) leaves its command center running in its own
# session; stop the one recorded in PIDFILE if it is still a command center, and remove the file.
cc_stop_leftover_app() {
    local file=$1 old
    [[ -f $file ]] || return 0
    old=$(<"$file")
    if [[ $old =~ ^[0-9]+$ ]] && tr '\0' ' ' <"/proc/$old/cmdline" 2>/dev/null | grep -q 'CommandCenter\.\(Web\|Silo\)'; then
        cc_log "a command center was left over from an earlier run"
        cc_stop_app "$old"
    fi
    rm -f "$file"
}

# cc_start_demo_streams DIR COUNT: COUNT live HLS test streams for the demo cameras, each a test pattern with its
# name and the time burned in (5 fps, a key frame every 2 s, segments of 2 s, the last five kept), written by ffmpeg
# under DIR/camNN/ (the app serves DIR at /demo-streams/). All run in one process group, recorded in DIR/streams.pid;
# streams left from an earlier run are stopped first.
cc_start_demo_streams() {
    local dir=$1 count=$2 font=/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc
    cc_stop_demo_streams "$dir"
    mkdir -p "$dir"
    # shellcheck disable=SC2016  # the inner script expands its own arguments ($1 …) and loop variables
    setsid bash -c '
        dir=$1 count=$2 font=$3
        for ((i = 1; i <= count; i++)); do
            name=$(printf "cam%02d" "$i")
            rm -rf "${dir:?}/$name" && mkdir -p "$dir/$name"
            ffmpeg -nostdin -v error -re -f lavfi -i "testsrc2=size=480x270:rate=5" \
                -vf "drawtext=fontfile=$font:text='\''演示摄像头 $(printf %02d "$i")  %{localtime}'\'':x=12:y=h-th-12:fontsize=22:fontcolor=white:box=1:boxcolor=black@0.6" \
                -c:v mpeg2video -q:v 6 -g 10 -f hls -hls_time 2 -hls_list_size 5 -hls_flags delete_segments \
                "$dir/$name/index.m3u8" &
        done
        wait' _ "$dir" "$count" "$font" >"$dir.log" 2>&1 &
    printf '%s\n' "$!" >"$dir/streams.pid"
    cc_log "$count demo camera streams (ffmpeg, HLS) in $dir, log $dir.log"
}

# cc_stop_demo_streams DIR: stops the process group recorded by cc_start_demo_streams, if it still runs.
cc_stop_demo_streams() {
    local file=$1/streams.pid pid
    [[ -f $file ]] || return 0
    pid=$(<"$file")
    if [[ $pid =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM -- "-$pid" 2>/dev/null || true
        cc_log "demo camera streams stopped"
    fi
    rm -f "$file"
}
