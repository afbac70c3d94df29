# Functions the scripts that build and serve our functions share. Sourced (`. scripts/common.sh`), never run.

# Builds products in debug, one a call (swift build honours only one --product); on a failure prints the build's
# output and returns 1.
build_debug() {
    local log product
    log="$(mktemp)"
    for product in "$@"; do
        if ! swift build --product "$product" >"$log" 2>&1; then
            cat "$log"
            rm -f "$log"
            echo "$(basename "$0"): the build of $product failed" >&2
            return 1
        fi
    done
    rm -f "$log"
}

# Starts the debug DashboardFunction serving on a free port of 127.0.0.1 in the background, sign-in off, its log
# in $1; sets dashboard_pid and dashboard_url. Returns 1 if it has not said where it serves within 10 seconds.
start_dashboard() {
    local out
    out="$(mktemp)"
    env -u DASHBOARD_CREDENTIALS_FILE "$(swift build --show-bin-path)/DashboardFunction" --serve 127.0.0.1:0 \
        >"$out" 2>"$1" &
    dashboard_pid=$!
    for _ in $(seq 1 100); do
        grep -q "^serving " "$out" && break
        kill -0 "$dashboard_pid" 2>/dev/null || break
        sleep 0.1
    done
    dashboard_url="$(sed -n 's/^serving //p' "$out")"
    rm -f "$out"
    [[ -n "$dashboard_url" ]]
}
