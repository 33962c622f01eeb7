#!/usr/bin/env bash
# A throwaway PostgreSQL server for the tests, in a folder of its own.
#
#   .ci/postgres.sh start [DIR]   initdb into DIR, start the server on a free 127.0.0.1 port
#                                 and print its URL (for TEST_DATABASE_URL)
#   .ci/postgres.sh stop [DIR]    stop that server and remove DIR
#   .ci/postgres.sh run CMD...    start a server in a new temporary folder, run CMD with
#                                 TEST_DATABASE_URL set, then stop it (also on failure or ^C);
#                                 exits with CMD's status
#
# DIR defaults to $PG_TEST_DIR or ${TMPDIR:-/tmp}/sales-coach-postgres. The server trusts local
# connections, keeps nothing durable (fsync off) and listens only on 127.0.0.1 and a unix
# socket in DIR. Run as root (as CI does), the server runs as the `postgres` user, or `nobody`
# when there is none, because PostgreSQL refuses to run as root. Without PostgreSQL binaries,
# root installs the Debian package; anyone else gets told to.
set -euo pipefail

action=${1:-}
if [[ $action == run ]]; then
    dir=$(mktemp -d "${TMPDIR:-/tmp}/sales-coach-postgres.XXXXXX")
else
    dir=${2:-${PG_TEST_DIR:-${TMPDIR:-/tmp}/sales-coach-postgres}}
fi
PG_USER_NAME=coach

die() {
    echo "postgres.sh: $*" >&2
    exit 1
}

find_bindir() {
    local candidate
    if [[ -n ${PG_BINDIR:-} && -x $PG_BINDIR/initdb ]]; then
        echo "$PG_BINDIR"
        return 0
    fi
    # Debian keeps the server programs out of PATH: prefer 15, the version CI is meant to use.
    for candidate in /usr/lib/postgresql/15/bin $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -rV); do
        if [[ -x $candidate/initdb && -x $candidate/pg_ctl ]]; then
            echo "$candidate"
            return 0
        fi
    done
    if command -v initdb >/dev/null && command -v pg_ctl >/dev/null; then
        dirname "$(command -v initdb)"
        return 0
    fi
    return 1
}

install_postgres() {
    if [[ $(id -u) -ne 0 ]] || ! command -v apt-get >/dev/null; then
        die "PostgreSQL server programs (initdb, pg_ctl) not found. Install them, e.g.
  sudo apt-get install -y postgresql    (Debian/Ubuntu)
or set PG_BINDIR to the folder that holds initdb and pg_ctl."
    fi
    echo "postgres.sh: installing PostgreSQL (apt-get install postgresql)" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq --no-install-recommends postgresql >&2
}

# The account the server runs as, and a prefix that runs a command as it.
server_account() {
    if [[ $(id -u) -ne 0 ]]; then
        id -un
    elif id postgres >/dev/null 2>&1; then
        echo postgres
    else
        echo nobody
    fi
}

as_account() {
    local account=$1
    shift
    if [[ $(id -u) -ne 0 ]]; then
        "$@"
    elif command -v runuser >/dev/null; then
        runuser -u "$account" -- "$@"
    else
        su -s /bin/sh "$account" -c "$(printf '%q ' "$@")"
    fi
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])'
}

start() {
    local bindir account port
    bindir=$(find_bindir) || {
        install_postgres
        bindir=$(find_bindir) || die "PostgreSQL was installed but initdb is still not found"
    }
    if [[ -f $dir/port ]] && as_account "$(stat -c %U "$dir")" "$bindir/pg_ctl" status -D "$dir/data" >/dev/null 2>&1; then
        die "a server already runs in $dir (stop it with: $0 stop $dir)"
    fi
    account=$(server_account)
    if [[ -d $dir && -n $(ls -A "$dir") && ! -f $dir/port ]]; then
        die "$dir is not empty and not a folder of this script; choose another"
    fi
    rm -rf "$dir"
    mkdir -p "$dir"
    chmod 700 "$dir"
    chown "$account" "$dir"
    port=$(free_port)
    echo "$port" >"$dir/port"
    # The C locale sorts text bytewise, as SQLite does.
    as_account "$account" "$bindir/initdb" -D "$dir/data" -U "$PG_USER_NAME" --auth=trust \
        --encoding=UTF8 --no-locale >"$dir/initdb.log" 2>&1 ||
        { cat "$dir/initdb.log" >&2; die "initdb failed"; }
    # A test server: fast rather than durable; enough connections for parallel bot processes.
    as_account "$account" "$bindir/pg_ctl" start -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        >/dev/null || { cat "$dir/server.log" >&2; die "the server did not start"; }
    echo "postgresql+asyncpg://$PG_USER_NAME@127.0.0.1:$port/postgres"
}

stop() {
    local bindir
    [[ -d $dir ]] || return 0
    if [[ -z $(ls -A "$dir") ]]; then
        rmdir "$dir"
        return 0
    fi
    [[ -f $dir/port ]] || die "$dir is not a folder of this script; not removing it"
    if [[ -f $dir/data/postmaster.pid ]] && bindir=$(find_bindir); then
        as_account "$(stat -c %U "$dir/data")" "$bindir/pg_ctl" stop -D "$dir/data" -m fast \
            -w -t 60 >/dev/null || echo "postgres.sh: pg_ctl stop failed" >&2
    fi
    rm -rf "$dir"
}

run() {
    local url status=0
    [[ $# -gt 0 ]] || die "usage: $0 run CMD..."
    trap stop EXIT
    trap 'exit 130' INT TERM
    url=$(start)
    echo "postgres.sh: PostgreSQL at $url (folder $dir)" >&2
    TEST_DATABASE_URL=$url "$@" || status=$?
    return "$status"
}

case $action in
start) start ;;
stop) stop ;;
run)
    shift
    run "$@"
    ;;
*) die "usage: $0 start|stop [DIR] | run CMD..." ;;
esac
