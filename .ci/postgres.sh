# Sourced by .ci/run: installs Debian's PostgreSQL when missing and starts a throw-away server on
# 127.0.0.1 for the store tests (a session's processes end when it stops, so CI starts its own).
# A free port unless one is given: a developer's own server may hold the usual one.
PG_PORT="${PG_PORT:-$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}"
PG_DATA="$(mktemp -d /tmp/pohang-watch-pg.XXXXXX)"
PG_BIN=""
POHANG_WATCH_TEST_PG_URL="postgresql+psycopg://postgres@127.0.0.1:${PG_PORT}/pohang_watch_test"

as_postgres() {
  su postgres -c "cd / && $1"
}

stop_postgres() {
  as_postgres "$PG_BIN/pg_ctl -D $PG_DATA -m immediate stop" >/dev/null 2>&1 || true
  rm -rf "$PG_DATA"
}

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
  fi
  PG_BIN="$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")"
  chown postgres "$PG_DATA"
  trap stop_postgres EXIT
  as_postgres "$PG_BIN/initdb -D $PG_DATA -U postgres -A trust --no-sync" >/dev/null
  as_postgres "$PG_BIN/pg_ctl -D $PG_DATA -o '-h 127.0.0.1 -p $PG_PORT -k /tmp -F' -l $PG_DATA/log -w start" >/dev/null
  as_postgres "$PG_BIN/createdb -h 127.0.0.1 -p $PG_PORT pohang_watch_test"
}
