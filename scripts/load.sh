#!/usr/bin/env bash
# Load test against the production profile (`make prod-local` first):
#   1. LOAD_TRAINEES (300) trainees check in to one session over HTTP (bench_checkin --url),
#      arriving within LOAD_WITHIN (5) seconds
#   2. then a synchronised exam for as many trainees (bench_exam)
#   while an organiser keeps opening the report pages (`manage.py load_reports`).
# Each bench command is run only if its app has it; missing ones are reported, not faked.
# The commands share prod-local's database and SECRET_KEY through var/prod-local/lms.env.
# Output goes to the terminal and var/prod-local/log/load-<time>.txt (docs/benchmarks.md).
set -uo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
ENVFILE=var/prod-local/lms.env
[ -f "$ENVFILE" ] || { echo "no $ENVFILE: run 'make prod-local' first" >&2; exit 1; }
set -a; . "$ENVFILE"; set +a
URL=${LOAD_URL:-${DJANGO_BASE_URL:-http://127.0.0.1:8010}}
TRAINEES=${LOAD_TRAINEES:-300}
CONCURRENCY=${LOAD_CONCURRENCY:-32}
# Trainees walk in and scan within this many seconds (open arrivals); 0 for a closed loop
# of LOAD_CONCURRENCY scanners back to back (saturation).
WITHIN=${LOAD_WITHIN:-5}
curl -fsS -o /dev/null "$URL/accounts/login/" || { echo "$URL is not answering: make prod-local" >&2; exit 1; }
mkdir -p var/prod-local/log
OUT=var/prod-local/log/load-$(date -u +%Y%m%dT%H%M%SZ).txt
STOP=var/prod-local/load.stop
rm -f "$STOP"
LOG=var/prod-local/log/gunicorn.log
log_start=$(($(wc -l < "$LOG" 2>/dev/null || echo 0) + 1))

has_command() {  # present and importable; say why not otherwise
  local err; err=$($PY manage.py help "$1" 2>&1 >/dev/null) && return 0
  echo "($1 unavailable: $(printf '%s' "$err" | tail -n 1))"; return 1
}
has_option() { $PY manage.py help "$1" 2>/dev/null | grep -q -- "$2"; }

{
  echo "== load test $(date -u +%FT%TZ) against $URL"
  echo "machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GB RAM, load average $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "server: gunicorn $(pgrep -f 'gunicorn -c deploy/gunicorn.conf.py' | wc -l) processes (master + workers), $(pgrep -f 'manage.py db_worker' | wc -l) db_worker; PostgreSQL $(psql --version | awk '{print $3}')"
  echo "git: $(git rev-parse --short HEAD)"

  $PY manage.py load_reports --url "$URL" --stop-file "$STOP" --max-seconds 1800 \
    > var/prod-local/log/load-reports.txt 2>&1 &
  reports_pid=$!

  echo "== 1. $TRAINEES trainees check in (HTTP)"
  if has_command bench_checkin && has_option bench_checkin --url; then
    t0=$(date +%s)
    if [ "$WITHIN" != 0 ]; then
      $PY manage.py bench_checkin --trainees "$TRAINEES" --within "$WITHIN" --url "$URL"
    else
      $PY manage.py bench_checkin --trainees "$TRAINEES" --concurrency "$CONCURRENCY" --url "$URL"
    fi
    echo "(check-in phase: $(( $(date +%s) - t0 )) s wall clock)"
  else
    echo "SKIPPED: attendance has no 'bench_checkin --url' yet"
  fi

  echo "== 2. synchronised exam for $TRAINEES trainees"
  if has_command bench_exam; then
    t0=$(date +%s)
    if has_option bench_exam --url; then
      $PY manage.py bench_exam --trainees "$TRAINEES" --url "$URL"
    else
      echo "(bench_exam has no --url: it calls the exam services in-process, $CONCURRENCY threads, against prod-local's PostgreSQL)"
      $PY manage.py bench_exam --trainees "$TRAINEES" --workers "$CONCURRENCY"
    fi
    echo "(exam phase: $(( $(date +%s) - t0 )) s wall clock)"
  else
    echo "SKIPPED: assessments has no 'bench_exam' yet"
  fi

  touch "$STOP"
  wait "$reports_pid"
  echo "== 3. an organiser opening reports throughout"
  cat var/prod-local/log/load-reports.txt
  rm -f "$STOP"
  echo "server errors (5xx) during the run, by path:"
  tail -n +"$log_start" "$LOG" | grep -o '"path":"[^"]*","query":"[^"]*","status":5[0-9][0-9]' |
    sort | uniq -c || echo "  none"
} 2>&1 | tee "$OUT"
echo "saved to $OUT"
