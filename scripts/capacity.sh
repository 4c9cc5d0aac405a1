#!/usr/bin/env bash
# `make capacity`: the year-end rush profile against the production profile, headless.
# Starts `make prod-local` if it is not running (same PROD_PORT / PROD_PG_PORT), seeds the
# profile's data (manage.py capacity_data), measures the floor (/healthz) and each hot
# path, then the mixed rush, with Locust (manage.py capacity; docs/benchmarks.md), and
# prints one last line: capacity: floor F/s, heartbeat H/s p95 h ms, …, errors N.
# Output also goes to var/prod-local/log/capacity-<time>.txt.
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
if ! scripts/prod-local.sh status >/dev/null 2>&1; then
  echo "the production profile is not running: starting it (make prod-local)"
  $MAKE_CMD prod-local >/dev/null || { echo "make prod-local failed" >&2; exit 1; }
fi
ENVFILE=var/prod-local/lms.env
[ -f "$ENVFILE" ] || { echo "no $ENVFILE after make prod-local" >&2; exit 1; }
set -a; . "$ENVFILE"; set +a
URL=${LOAD_URL:-${DJANGO_BASE_URL:-http://127.0.0.1:8010}}
curl -fsS -o /dev/null "$URL/healthz" || { echo "$URL is not answering" >&2; exit 1; }
mkdir -p var/prod-local/log
OUT=var/prod-local/log/capacity-$(date -u +%Y%m%dT%H%M%SZ).txt
$PY manage.py capacity --url "$URL" ${CAPACITY_ARGS:-} 2>&1 | tee "$OUT"
exit "${PIPESTATUS[0]}"
