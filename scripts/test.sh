#!/usr/bin/env bash
# The whole suite: fast tests on SQLite in parallel, then, on a real PostgreSQL server
# started here, the locking tests and the browser journeys in headless Chromium.
#
# The journeys run on PostgreSQL, never on SQLite: there the live server's threads share
# one in-memory database with the test thread, and a request can fail with "database
# table is locked". They run in a pytest of their own, on a test database fresh from the
# migrations: after the locking tests' flushes, in the same process, the first journey
# found no Wagtail root page. Both are transactional (threads, live_server): no xdist.
#
# LMS_TEST_TIMES=FILE: phase times ("name seconds" lines) written before this script ran
# (`make test` writes install, lint and messages); printed with these at the end.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGDIR=$(mktemp -d /tmp/lms-pg-XXXXXX)
# A free port unless told: other checkouts on this machine may be running their suite.
PGPORT=${LMS_TEST_PG_PORT:-$($PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')}
TIMES=${LMS_TEST_TIMES:-$(mktemp /tmp/lms-test-times-XXXXXX)}
trap 'scripts/pg-test-server.sh stop "$PGDIR"' EXIT

status=0
phase() { echo "$1 $2" >>"$TIMES"; }

echo "== unit and integration tests (SQLite)"
start=$SECONDS
$PY -m pytest -n 2 -m "not postgres and not browser" -q "$@" || status=1
phase sqlite $((SECONDS - start))

echo "== PostgreSQL tests (row locking, concurrency, search, the permission matrices)"
start=$SECONDS
url=$(scripts/pg-test-server.sh start "$PGDIR" "$PGPORT") || { echo "could not start PostgreSQL"; exit 1; }
# The locking tests keep their migrated database as a template for the journeys' (tests/dbtemplate.py).
export LMS_TEST_PG_TEMPLATE=1
DJANGO_DATABASE_URL=$url $PY -m pytest -m "postgres or permissions" -q -p no:xdist "$@"
rc=$?; [ $rc -eq 0 ] || [ $rc -eq 5 ] || status=1
phase postgresql $((SECONDS - start))

echo "== browser journeys (headless Chromium, on PostgreSQL)"
start=$SECONDS
DJANGO_DATABASE_URL=$url $PY -m pytest -m "browser" -q -p no:xdist "$@"
rc=$?; [ $rc -eq 0 ] || [ $rc -eq 5 ] || status=1
phase browser $((SECONDS - start))

echo "== time per phase (seconds; the machine may be shared)"
awk '{ printf "  %-12s %5d\n", $1, $2 }' "$TIMES"
[ -n "${LMS_TEST_TIMES:-}" ] || rm -f "$TIMES"
exit $status
