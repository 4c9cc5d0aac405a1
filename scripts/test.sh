#!/usr/bin/env bash
# The whole suite: fast tests on SQLite in parallel, the locking tests on a real
# PostgreSQL server started here, then the browser journeys in headless Chromium.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
PGDIR=$(mktemp -d /tmp/lms-pg-XXXXXX)
PGPORT=${LMS_TEST_PG_PORT:-54329}
trap 'scripts/pg-test-server.sh stop "$PGDIR"' EXIT

status=0
echo "== unit and integration tests (SQLite)"
$PY -m pytest -n 2 -m "not postgres and not browser" -q "$@" || status=1

echo "== PostgreSQL tests (row locking, concurrency, search)"
url=$(scripts/pg-test-server.sh start "$PGDIR" "$PGPORT") || exit 1
DJANGO_DATABASE_URL=$url $PY -m pytest -m "postgres" -q "$@"
rc=$?; [ $rc -eq 0 ] || [ $rc -eq 5 ] || status=1

echo "== browser journeys (headless Chromium)"
$PY -m pytest -m "browser" -q -p no:xdist "$@"
rc=$?; [ $rc -eq 0 ] || [ $rc -eq 5 ] || status=1

exit $status
