#!/usr/bin/env bash
# The production profile on this machine: PostgreSQL, gunicorn (2 × cores + 1 workers) on
# 127.0.0.1:8010 and one task worker, with the demo data. For load tests and for trying
# the site as it runs in production.
#   scripts/prod-local.sh start   (make prod-local)
#   scripts/prod-local.sh stop    (make prod-stop)
#   scripts/prod-local.sh status
#   scripts/prod-local.sh reset   stop and delete the database and media
# Everything lives in var/prod-local/ (PostgreSQL cluster, media, logs, pids, lms.env).
# Plain HTTP on loopback, so only two settings differ from a real deployment:
# DJANGO_SECURE_SSL_REDIRECT=0 and DJANGO_SECURE_COOKIES=0 (see docs/deploy.md).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var/prod-local
PGPORT=${PROD_PG_PORT:-54337}
HOST=${PROD_HOST:-127.0.0.1}
PORT=${PROD_PORT:-8010}
# As in production (deploy/gunicorn.conf.py): 2 × cores + 1, so workers waiting on
# PostgreSQL (a commit's fsync) leave the CPUs busy with others.
WORKERS=${PROD_WORKERS:-$((2 * $(nproc) + 1))}
PY=$ROOT/.venv/bin/python
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
[ -n "$bin" ] || { echo "PostgreSQL is not installed (apt-get install postgresql)" >&2; exit 1; }
. scripts/lib/processes.sh  # as_pg, alive, stop_pidfile
now() { date +%s.%N; }
since() { python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}s')" "$1" "$(now)"; }



write_env() {
  local secret
  if [ -f "$VAR/lms.env" ]; then return; fi
  secret=$(python3 -c "import secrets; print(secrets.token_urlsafe(50))")
  cat > "$VAR/lms.env" <<ENV
# Environment of the local production profile (scripts/prod-local.sh). To run a
# management command against it:  set -a; . var/prod-local/lms.env; set +a; .venv/bin/python manage.py …
DJANGO_SETTINGS_MODULE=lms.settings.production
DJANGO_SECRET_KEY=$secret
DJANGO_ALLOWED_HOSTS=$HOST,localhost
DJANGO_CSRF_TRUSTED_ORIGINS=http://$HOST:$PORT,http://localhost:$PORT
DJANGO_BASE_URL=http://$HOST:$PORT
DJANGO_DATABASE_URL=postgres://lms@127.0.0.1:$PGPORT/lms
DJANGO_MEDIA_ROOT=$VAR/media
DJANGO_PRIVATE_MEDIA_ROOT=$VAR/private
DJANGO_SECURE_SSL_REDIRECT=0
DJANGO_SECURE_COOKIES=0
DJANGO_LOG_LEVEL=INFO
ENV
}

start_pg() {
  if [ ! -f "$VAR/pg/data/PG_VERSION" ]; then
    mkdir -p "$VAR/pg"
    [ "$(id -u)" = 0 ] && chown postgres "$VAR/pg"
    as_pg "$bin/initdb" -D "$VAR/pg/data" -U lms --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if as_pg "$bin/pg_ctl" -D "$VAR/pg/data" status >/dev/null 2>&1; then return; fi
  # Production-like durability (fsync on); sized for a few hundred concurrent users.
  as_pg "$bin/pg_ctl" -D "$VAR/pg/data" -l "$VAR/pg/log" -w -o \
    "-p $PGPORT -k $VAR/pg -c listen_addresses=127.0.0.1 -c max_connections=200 -c shared_buffers=256MB -c timezone=UTC" \
    start >/dev/null
  as_pg "$bin/psql" -h 127.0.0.1 -p "$PGPORT" -U lms -d postgres -Atqc \
    "SELECT 1 FROM pg_database WHERE datname='lms'" | grep -q 1 ||
    as_pg "$bin/createdb" -h 127.0.0.1 -p "$PGPORT" -U lms lms
}

start() {
  local t0 t; t0=$(now)
  mkdir -p "$VAR/media" "$VAR/log"
  [ "$(id -u)" = 0 ] && chmod 755 "$ROOT/var" "$VAR"
  write_env
  set -a; . "$VAR/lms.env"; set +a
  if alive "$VAR/gunicorn.pid"; then echo "already running: http://$HOST:$PORT/"; exit 0; fi

  t=$(now); start_pg; echo "postgresql on 127.0.0.1:$PGPORT ($(since "$t"))"
  t=$(now); $PY manage.py migrate --noinput -v0; echo "migrate ($(since "$t"))"
  t=$(now); $PY manage.py createcachetable >/dev/null; echo "createcachetable ($(since "$t"))"
  t=$(now); $PY manage.py collectstatic --noinput -v0; echo "collectstatic ($(since "$t"))"
  t=$(now); $PY manage.py seed_demo >/dev/null; echo "seed_demo ($(since "$t"))"

  t=$(now)
  GUNICORN_BIND=$HOST:$PORT GUNICORN_WORKERS=$WORKERS setsid \
    "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py >>"$VAR/log/gunicorn.log" 2>&1 &
  echo $! > "$VAR/gunicorn.pid"
  setsid "$PY" manage.py db_worker --queue-name='*' --worker-id="prod-local-1" \
    >>"$VAR/log/worker.log" 2>&1 &
  echo $! > "$VAR/worker.pid"
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://$HOST:$PORT/accounts/login/" 2>/dev/null && break
    alive "$VAR/gunicorn.pid" || { tail -n 30 "$VAR/log/gunicorn.log" >&2; exit 1; }
    sleep 0.2
  done
  curl -fsS -o /dev/null "http://$HOST:$PORT/accounts/login/" || {
    tail -n 30 "$VAR/log/gunicorn.log" >&2; exit 1; }
  echo "gunicorn ($WORKERS workers) and db_worker up ($(since "$t"))"
  cat <<MSG

Production profile running at http://$HOST:$PORT/   (total $(since "$t0"))
  demo accounts: see README.md (password Demo@2026); admin at http://$HOST:$PORT/admin/
  logs:   var/prod-local/log/{gunicorn,worker}.log, var/prod-local/pg/log
  shell:  set -a; . var/prod-local/lms.env; set +a; .venv/bin/python manage.py …
  load:   scripts/load.sh
  stop:   make prod-stop      (data stays in var/prod-local; 'scripts/prod-local.sh reset' deletes it)
MSG
}

stop() {
  stop_pidfile "$VAR/gunicorn.pid" gunicorn
  stop_pidfile "$VAR/worker.pid" db_worker
  if [ -f "$VAR/pg/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$VAR/pg/data" status >/dev/null 2>&1; then
    as_pg "$bin/pg_ctl" -D "$VAR/pg/data" -m fast -w stop >/dev/null && echo "stopped postgresql"
  fi
}

status() {
  alive "$VAR/gunicorn.pid" && echo "gunicorn: running (pid $(cat "$VAR/gunicorn.pid"))" || echo "gunicorn: stopped"
  alive "$VAR/worker.pid" && echo "db_worker: running (pid $(cat "$VAR/worker.pid"))" || echo "db_worker: stopped"
  if [ -f "$VAR/pg/data/PG_VERSION" ] && as_pg "$bin/pg_ctl" -D "$VAR/pg/data" status >/dev/null 2>&1; then
    echo "postgresql: running on 127.0.0.1:$PGPORT"
  else
    echo "postgresql: stopped"
  fi
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  reset) stop; rm -rf "$VAR"; echo "deleted var/prod-local" ;;
  *) echo "usage: $0 start|stop|status|reset" >&2; exit 2 ;;
esac
