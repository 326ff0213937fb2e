#!/usr/bin/env bash
# Copy the pinned browser libraries (web/package.json + web/package-lock.json) from the npm registry into
# web/wwwroot/lib/ (git-ignored), so the app can serve them without any CDN:
#   lib/leaflet/                 leaflet.js, leaflet.css, images/, LICENSE
#   lib/signalr/                 signalr.min.js (MIT; the npm package ships no licence file)
#   lib/janus/                   janus.js (janus-gateway's ES module, MIT: its licence is the file's header), adapter.js
#                                (webrtc-adapter, which janus.js expects as the global `adapter`), ADAPTER-LICENSE.md
#   lib/echarts/                 echarts.esm.min.js (Apache ECharts' ES module, zrender inside), LICENSE, NOTICE
# Idempotent: does nothing (no download) when lib/.vendor-stamp matches the lock file.
#   deploy/vendor-web.sh           vendor if missing or stale
#   deploy/vendor-web.sh --check   exit 0 if current, 1 if not (no changes)
#   deploy/vendor-web.sh --force   vendor even if current
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
web="$root/web"
lib="$web/wwwroot/lib"
stamp="$lib/.vendor-stamp"

# destination (relative to lib) <- source (relative to node_modules)
files=(
    "leaflet/leaflet.js                                 leaflet/dist/leaflet.js"
    "leaflet/leaflet.css                                leaflet/dist/leaflet.css"
    "leaflet/images                                     leaflet/dist/images"
    "leaflet/LICENSE                                    leaflet/LICENSE"
    "signalr/signalr.min.js                             @microsoft/signalr/dist/browser/signalr.min.js"
    "janus/janus.js                                     janus-gateway/npm/dist/janus.es.js"
    "janus/adapter.js                                   webrtc-adapter/out/adapter.js"
    "janus/ADAPTER-LICENSE.md                           webrtc-adapter/LICENSE.md"
    "echarts/echarts.esm.min.js                         echarts/dist/echarts.esm.min.mjs"
    "echarts/LICENSE                                    echarts/LICENSE"
    "echarts/NOTICE                                     echarts/NOTICE"
)
dirs=(leaflet signalr janus echarts)

expected_stamp() {
    {
        sha256sum "$web/package-lock.json" | cut -d' ' -f1
        printf '%s\n' "${files[@]}"
    } | sha256sum | cut -d' ' -f1
}

is_current() {
    [[ -f $stamp && $(<"$stamp") == "$(expected_stamp)" ]] || return 1
    local entry
    for entry in "${files[@]}"; do
        read -r dest _ <<<"$entry"
        [[ -e $lib/$dest ]] || return 1
    done
}

mode=${1:-}
case $mode in
"" | --force) ;;
--check)
    is_current
    exit
    ;;
*)
    echo "usage: $0 [--check|--force]" >&2
    exit 2
    ;;
esac

[[ -f $web/package.json && -f $web/package-lock.json ]] || {
    echo "vendor-web: web/package.json or web/package-lock.json is missing" >&2
    exit 1
}
if [[ $mode != --force ]] && is_current; then
    exit 0
fi
command -v npm >/dev/null 2>&1 || {
    echo "vendor-web: npm is not installed (run.sh/test.sh install it via deploy/lib.sh cc_ensure_packages)" >&2
    exit 1
}

work=$(mktemp -d /tmp/cc-vendor-web.XXXXXX)
trap 'rm -rf "$work"' EXIT
cp "$web/package.json" "$web/package-lock.json" "$work/"
# npm ci installs exactly the lock file's versions and checks their integrity hashes; no install scripts run.
if ! (cd "$work" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >"$work/npm.log" 2>&1); then
    cat "$work/npm.log" >&2
    echo "vendor-web: npm ci failed (is the npm registry reachable?)" >&2
    exit 1
fi

stage="$work/lib"
for entry in "${files[@]}"; do
    read -r dest src <<<"$entry"
    [[ -e $work/node_modules/$src ]] || {
        echo "vendor-web: $src is missing from the npm package" >&2
        exit 1
    }
    mkdir -p "$(dirname "$stage/$dest")"
    cp -R "$work/node_modules/$src" "$stage/$dest"
done

# Replace only the folders this script owns; anything else in wwwroot/lib is left alone.
mkdir -p "$lib"
for d in "${dirs[@]}"; do
    rm -rf "${lib:?}/$d"
    cp -R "$stage/$d" "$lib/$d"
done
expected_stamp >"$stamp"
versions=$(cd "$work/node_modules" && for p in leaflet @microsoft/signalr janus-gateway webrtc-adapter echarts; do
    printf '%s@%s ' "$p" "$(node -p "require('./$p/package.json').version")"
done)
echo "cc: vendored ${versions% } into web/wwwroot/lib"
