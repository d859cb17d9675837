#!/usr/bin/env bash
# Throwaway PostgreSQL cluster for tests.
#
#   .ci/postgres.sh start [DIR]   (re)create a cluster in DIR and print its URL as the last stdout line
#   .ci/postgres.sh stop  [DIR]   stop the cluster in DIR and remove DIR
#
# DIR defaults to /tmp/anvil-ci-pg; the port to 25432 (ANVIL_CI_PG_PORT overrides).
# Progress goes to stderr so that `URL=$(.ci/postgres.sh start)` captures only the URL.
set -euo pipefail

readonly PG_USER=anvil
readonly PG_PASSWORD=anvil
readonly PG_DATABASE=anvil_test
readonly PG_OS_USER=postgres

log() { printf 'postgres.sh: %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

usage() {
    echo "usage: $0 start|stop [DIR]" >&2
    exit 2
}

[[ $# -ge 1 && $# -le 2 ]] || usage
action=$1
# Absolute path, because the server commands below run from / (the postgres user
# may not be able to enter the caller's working directory).
data_dir=$(realpath -m -- "${2:-/tmp/anvil-ci-pg}")
port=${ANVIL_CI_PG_PORT:-25432}

case "$data_dir" in
    / | /tmp | /root | /home | /usr | /var | /etc) die "refusing to use $data_dir as a data directory" ;;
esac
# Ports from 32768 up are the kernel's ephemeral range, where another process's
# outgoing connection may already hold the port.
if ! [[ $port =~ ^[0-9]+$ ]] || ((port < 1024 || port >= 32768)); then
    die "ANVIL_CI_PG_PORT must be an integer in 1024..32767, got '$port'"
fi

shopt -s nullglob
pg_bins=(/usr/lib/postgresql/*/bin)
shopt -u nullglob
pg_bin=
if ((${#pg_bins[@]} > 0)); then
    pg_bin=$(printf '%s\n' "${pg_bins[@]}" | sort -V | tail -n 1)
fi
[[ -n $pg_bin && -x $pg_bin/initdb ]] ||
    die "no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)"
id -u "$PG_OS_USER" >/dev/null 2>&1 || die "system user '$PG_OS_USER' does not exist"

# initdb and postgres refuse to run as root, so the cluster belongs to the postgres user.
as_pg() {
    if [[ $(id -un) == "$PG_OS_USER" ]]; then
        (cd / && "$@")
    else
        (cd / && runuser -u "$PG_OS_USER" -- "$@")
    fi
}

# A postmaster is running on this data dir only if the pid in postmaster.pid is a
# live process whose working directory is the data dir. pg_ctl's own check
# (kill -0) also accepts an unreaped zombie or an unrelated process that reused
# the pid after a crash or reboot, and pg_ctl stop would then signal that process.
is_running() {
    local pid
    [[ -f $data_dir/postmaster.pid ]] || return 1
    pid=$(head -n 1 "$data_dir/postmaster.pid")
    [[ $pid =~ ^[0-9]+$ ]] || return 1
    [[ $(readlink "/proc/$pid/cwd" 2>/dev/null) == "$data_dir" ]]
}

stop_cluster() {
    if is_running; then
        log "stopping cluster in $data_dir"
        as_pg "$pg_bin/pg_ctl" stop -D "$data_dir" -m fast -w >&2 ||
            die "pg_ctl stop failed for $data_dir"
    fi
}

# Only ever delete something that is recognisably a cluster (or empty), never an
# arbitrary directory that happened to be passed in.
remove_dir() {
    [[ -e $data_dir ]] || return 0
    if [[ -f $data_dir/PG_VERSION || -z $(ls -A "$data_dir") ]]; then
        rm -rf -- "$data_dir"
    else
        die "$data_dir exists and is not a PostgreSQL data directory; not removing it"
    fi
}

port_in_use() {
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
}

start_cluster() {
    stop_cluster
    remove_dir
    if port_in_use; then
        die "127.0.0.1:$port is already in use by another process; set ANVIL_CI_PG_PORT to a free port"
    fi

    log "creating cluster in $data_dir with $pg_bin (port $port)"
    mkdir -p -- "$data_dir"
    chown "$PG_OS_USER:" "$data_dir"
    chmod 700 "$data_dir"

    local pwfile
    pwfile=$(mktemp)
    printf '%s\n' "$PG_PASSWORD" >"$pwfile"
    chown "$PG_OS_USER:" "$pwfile"
    # The superuser is named postgres whatever OS user runs this; a fixed C.UTF-8
    # locale keeps initdb independent of the caller's LANG/LC_* settings.
    if ! as_pg env LC_ALL=C.UTF-8 "$pg_bin/initdb" -D "$data_dir" -U postgres \
        --encoding=UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256 \
        --pwfile="$pwfile" >"$data_dir.initdb.log" 2>&1; then
        cat "$data_dir.initdb.log" >&2
        rm -f -- "$pwfile" "$data_dir.initdb.log"
        die "initdb failed"
    fi
    rm -f -- "$pwfile" "$data_dir.initdb.log"

    # Socket-only local access is trusted (it lives inside the 0700 data dir);
    # TCP clients must present the password, so tests exercise real authentication.
    cat >"$data_dir/pg_hba.conf" <<HBA
local   all   all                  trust
host    all   all   127.0.0.1/32   scram-sha-256
HBA
    # Durability settings are off: the cluster is thrown away after the run and
    # fsync-heavy tests are much faster without them.
    cat >>"$data_dir/postgresql.conf" <<CONF

# throwaway test cluster
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$data_dir'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 200
CONF
    chown "$PG_OS_USER:" "$data_dir/pg_hba.conf" "$data_dir/postgresql.conf"

    if ! as_pg "$pg_bin/pg_ctl" start -D "$data_dir" -l "$data_dir/server.log" -w -t 60 >&2; then
        cat "$data_dir/server.log" >&2 || true
        die "pg_ctl start failed"
    fi

    local i
    for ((i = 0; i < 60; i++)); do
        if "$pg_bin/pg_isready" -q -h 127.0.0.1 -p "$port" -d postgres; then
            break
        fi
        sleep 0.5
    done
    "$pg_bin/pg_isready" -h 127.0.0.1 -p "$port" -d postgres >&2 || {
        cat "$data_dir/server.log" >&2 || true
        die "server did not become ready on 127.0.0.1:$port"
    }

    # -X: ignore any ~/.psqlrc of the caller.
    as_pg "$pg_bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$data_dir" -p "$port" -U postgres -d postgres >&2 <<SQL
CREATE ROLE $PG_USER LOGIN SUPERUSER PASSWORD '$PG_PASSWORD';
CREATE DATABASE $PG_DATABASE OWNER $PG_USER;
SQL

    log "ready; logs in $data_dir/server.log"
    printf 'postgres://%s:%s@127.0.0.1:%s/%s\n' "$PG_USER" "$PG_PASSWORD" "$port" "$PG_DATABASE"
}

case "$action" in
    start) start_cluster ;;
    stop)
        stop_cluster
        remove_dir
        log "stopped and removed $data_dir"
        ;;
    *) usage ;;
esac
