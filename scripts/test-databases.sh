#!/usr/bin/env bash
# Sourced by the test scripts: makes the machine's PostgreSQL and MariaDB available to
# Backstage's `TestDatabases` (POSTGRES_15 and MYSQL_8 ids) through their connection-string
# variables. Under CI=true a database that cannot be reached is fatal, so database tests
# never skip silently there; elsewhere the missing engine is announced and its tests skip.

PG_HOST=127.0.0.1 PG_PORT=5432
MY_HOST=127.0.0.1 MY_PORT=3306
# TestDatabases' MySQL parser demands a user with a non-empty password and a path segment.
MY_TEST_USER=dm_test MY_TEST_PASSWORD=dm_test

pg_up() { pg_isready -q -h "$PG_HOST" -p "$PG_PORT" 2>/dev/null; }
my_up() { mysqladmin --connect-timeout=2 -h "$MY_HOST" -P "$MY_PORT" -uroot ping >/dev/null 2>&1; }

wait_for() { # wait_for <check-fn> <seconds>
  local i
  for ((i = 0; i < $2; i++)); do "$1" && return 0; sleep 1; done
  return 1
}

start_databases() {
  if ! pg_up && command -v pg_ctlcluster >/dev/null 2>&1; then
    echo "[db] starting PostgreSQL" >&2
    pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start >&2 || true
    wait_for pg_up 30 || true
  fi
  if ! my_up && [ -x /usr/sbin/mariadbd ]; then
    echo "[db] starting MariaDB" >&2
    start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd >&2 || true
    wait_for my_up 30 || true
  fi
}

export_test_databases() {
  local missing=()
  if pg_up; then
    # Trust auth: the password is ignored, but the URL parser wants one.
    export BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING="postgresql://postgres:postgres@$PG_HOST:$PG_PORT/postgres"
  else
    missing+=("PostgreSQL at $PG_HOST:$PG_PORT")
  fi
  if my_up; then
    mysql -h "$MY_HOST" -P "$MY_PORT" -uroot <<SQL
CREATE USER IF NOT EXISTS '$MY_TEST_USER'@'%' IDENTIFIED BY '$MY_TEST_PASSWORD';
CREATE USER IF NOT EXISTS '$MY_TEST_USER'@'localhost' IDENTIFIED BY '$MY_TEST_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO '$MY_TEST_USER'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO '$MY_TEST_USER'@'localhost' WITH GRANT OPTION;
SQL
    export BACKSTAGE_TEST_DATABASE_MYSQL8_CONNECTION_STRING="mysql://$MY_TEST_USER:$MY_TEST_PASSWORD@$MY_HOST:$MY_PORT/mysql"
  else
    missing+=("MariaDB/MySQL at $MY_HOST:$MY_PORT")
  fi
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "${CI:-}" = "true" ]; then
      echo "[db] FATAL: CI=true but cannot reach: ${missing[*]}. Database tests must run in CI." >&2
      return 1
    fi
    echo "[db] WARNING: cannot reach ${missing[*]}; tests on those engines will be SKIPPED (SQLite still runs)." >&2
  fi
  # Docker is never used here: only the machine's own databases.
  export BACKSTAGE_TEST_DISABLE_DOCKER=1
}
