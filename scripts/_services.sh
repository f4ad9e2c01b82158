# Database servers for the test suite (sourced by scripts/test).
#
# `setup_services` uses a PostgreSQL, MariaDB or Redis that already listens on its standard
# port on 127.0.0.1; for each one that does not, it installs the Debian package when the
# binary is missing and starts a throwaway server on that port, with its data in a temporary
# directory. `stop_services` (installed as an EXIT trap by setup_services) stops what was
# started here and removes the directory; servers that were already running are left alone.
# Tests find the servers through AUTHCORE_TEST_POSTGRES_URL, AUTHCORE_TEST_MYSQL_URL and
# AUTHCORE_TEST_REDIS_URL, and fail when those are unset under this script.

AUTHCORE_SERVICES_DIR=${AUTHCORE_SERVICES_DIR:-}
AUTHCORE_SERVICES_PIDFILES=()
_services_apt_updated=

_services_port_open() {  # port
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

_services_wait_port() {  # port what
  local i
  for i in $(seq 1 200); do
    if _services_port_open "$1"; then return 0; fi
    sleep 0.1
  done
  echo "services: $2 did not start listening on 127.0.0.1:$1" >&2
  return 1
}

_services_apt_install() {  # package...
  local sudo=
  if [ "$(id -u)" != 0 ]; then sudo=sudo; fi
  if [ -z "$_services_apt_updated" ]; then
    $sudo apt-get update -qq
    _services_apt_updated=1
  fi
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

_services_ensure_dir() {  # not in a subshell: the directory is remembered for stop_services
  if [ -z "$AUTHCORE_SERVICES_DIR" ]; then
    AUTHCORE_SERVICES_DIR=$(mktemp -d -t authcore-services.XXXXXX)
    chmod 755 "$AUTHCORE_SERVICES_DIR"
  fi
}

# start_redis PORT: a redis-server that keeps nothing on disk.
start_redis() {
  local port=$1 dir
  command -v redis-server >/dev/null 2>&1 || _services_apt_install redis-server
  _services_ensure_dir
  dir=$AUTHCORE_SERVICES_DIR/redis-$port
  mkdir -p "$dir"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$port" --save "" --appendonly no \
    --dir "$dir" --pidfile "$dir/redis.pid" --logfile "$dir/redis.log"
  AUTHCORE_SERVICES_PIDFILES+=("$dir/redis.pid")
  _services_wait_port "$port" redis-server
}

_services_pg_bin() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  if [ -z "$bin" ]; then
    _services_apt_install postgresql
    bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  fi
  echo "$bin"
}

# start_postgres PORT: a cluster with trust authentication for user postgres and a db `test`.
start_postgres() {
  local port=$1 bin dir as=()
  bin=$(_services_pg_bin)
  _services_ensure_dir
  dir=$AUTHCORE_SERVICES_DIR/postgres-$port
  mkdir -p "$dir"
  if [ "$(id -u)" = 0 ]; then  # initdb refuses to run as root
    chown postgres: "$dir"
    as=(runuser -u postgres --)
  fi
  "${as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 >/dev/null
  "${as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
    -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off" start >/dev/null
  AUTHCORE_SERVICES_PIDFILES+=("$dir/data/postmaster.pid")
  "${as[@]}" "$bin/createdb" -h 127.0.0.1 -p "$port" -U postgres test
}

# start_mariadb PORT: root with an empty password and a db `test`.
start_mariadb() {
  local port=$1 dir
  command -v mariadbd >/dev/null 2>&1 || _services_apt_install mariadb-server
  _services_ensure_dir
  dir=$AUTHCORE_SERVICES_DIR/mariadb-$port
  mkdir -p "$dir"
  mariadb-install-db --no-defaults --datadir="$dir/data" --user="$(id -un)" \
    --auth-root-authentication-method=normal --skip-test-db >/dev/null
  mariadbd --no-defaults --datadir="$dir/data" --user="$(id -un)" --port="$port" \
    --bind-address=127.0.0.1 --socket="$dir/mysqld.sock" --pid-file="$dir/mariadb.pid" \
    --log-error="$dir/error.log" >/dev/null 2>&1 &
  AUTHCORE_SERVICES_PIDFILES+=("$dir/mariadb.pid")
  _services_wait_port "$port" mariadbd
  mariadb --no-defaults -h 127.0.0.1 -P "$port" -u root -e 'CREATE DATABASE IF NOT EXISTS test'
}

# stop_services: stop every server started above and remove their data.
stop_services() {
  local pidfile pid i
  for pidfile in "${AUTHCORE_SERVICES_PIDFILES[@]}"; do
    [ -f "$pidfile" ] || continue
    pid=$(head -n 1 "$pidfile")
    kill "$pid" 2>/dev/null || continue
    for i in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
  done
  AUTHCORE_SERVICES_PIDFILES=()
  if [ -n "$AUTHCORE_SERVICES_DIR" ]; then
    rm -rf "$AUTHCORE_SERVICES_DIR"
    AUTHCORE_SERVICES_DIR=
  fi
}

setup_services() {
  trap stop_services EXIT
  if ! _services_port_open 5432; then
    echo "== services: starting a throwaway PostgreSQL on 127.0.0.1:5432"
    start_postgres 5432
  fi
  if ! _services_port_open 3306; then
    echo "== services: starting a throwaway MariaDB on 127.0.0.1:3306"
    start_mariadb 3306
  fi
  if ! _services_port_open 6379; then
    echo "== services: starting a throwaway Redis on 127.0.0.1:6379"
    start_redis 6379
  fi
  export AUTHCORE_TEST_POSTGRES_URL=${AUTHCORE_TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
  export AUTHCORE_TEST_MYSQL_URL=${AUTHCORE_TEST_MYSQL_URL:-mysql://root@127.0.0.1:3306/test}
  export AUTHCORE_TEST_REDIS_URL=${AUTHCORE_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}
  export AUTHCORE_TEST_SERVICES=1
}
