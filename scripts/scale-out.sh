#!/usr/bin/env bash
# Scale-out on one machine, for measuring it: N app instances (gunicorn masters on their
# own ports) behind nginx on loopback, all on prod-local's PostgreSQL through PgBouncer
# in transaction mode. Start `make prod-local` first (its database, lms.env, static files).
#   scripts/scale-out.sh start      two instances (SCALE_INSTANCES=1 for one)
#   scripts/scale-out.sh stop
#   scripts/scale-out.sh status
# Variables: SCALE_INSTANCES (2), SCALE_WORKERS per instance (cores + 1),
#   SCALE_PIN=1 pins instance i to core i (taskset) so one instance gets one core,
#   SCALE_PORT (8034: nginx), SCALE_APP_PORT (8035: first instance; the next is +1),
#   SCALE_PGB_PORT (6434: PgBouncer), PROD_PG_PORT (54337: prod-local's PostgreSQL).
# Everything lives in var/scale-out/ (configs, logs, pids). Debian packages: nginx,
# pgbouncer. The same layout on several hosts is docs/deploy.md, "Scaling out".
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VAR=$ROOT/var/scale-out
ENV_FILE=$ROOT/var/prod-local/lms.env
INSTANCES=${SCALE_INSTANCES:-2}
WORKERS=${SCALE_WORKERS:-$(($(nproc) + 1))}
PORT=${SCALE_PORT:-8034}
APP_PORT=${SCALE_APP_PORT:-8035}
PGB_PORT=${SCALE_PGB_PORT:-6434}
PGPORT=${PROD_PG_PORT:-54337}
. scripts/lib/processes.sh  # as_pg, alive, stop_pidfile


start_pgbouncer() {
  mkdir -p "$VAR/pgbouncer"
  cat > "$VAR/pgbouncer/pgbouncer.ini" <<INI
[databases]
lms = host=127.0.0.1 port=$PGPORT dbname=lms
[pgbouncer]
listen_addr = 127.0.0.1
listen_port = $PGB_PORT
unix_socket_dir =
auth_type = trust
auth_file = $VAR/pgbouncer/users.txt
pool_mode = transaction
; Server connections per database and user: enough for every worker's transaction to
; run at once on two cores; the clients (workers' persistent connections) wait for one.
default_pool_size = 20
max_client_conn = 1000
server_reset_query =
ignore_startup_parameters = extra_float_digits,options
logfile = $VAR/pgbouncer/pgbouncer.log
pidfile = $VAR/pgbouncer/pgbouncer.pid
INI
  echo '"lms" ""' > "$VAR/pgbouncer/users.txt"
  [ "$(id -u)" = 0 ] && chown -R postgres "$VAR/pgbouncer"
  # PgBouncer refuses to run as root: as prod-local's PostgreSQL, it runs as postgres.
  as_pg /usr/sbin/pgbouncer -d "$VAR/pgbouncer/pgbouncer.ini"
  for _ in $(seq 1 50); do alive "$VAR/pgbouncer/pgbouncer.pid" && break; sleep 0.1; done
  echo "pgbouncer (transaction pooling) on 127.0.0.1:$PGB_PORT → PostgreSQL :$PGPORT"
}

start_app() {
  local i=$1 port=$((APP_PORT + $1)) pin=()
  if [ "${SCALE_PIN:-0}" = 1 ]; then pin=(taskset -c "$((i % $(nproc)))"); fi
  (
    set -a; . "$ENV_FILE"; set +a
    export DJANGO_DATABASE_URL="postgres://lms@127.0.0.1:$PGB_PORT/lms"
    export DJANGO_DB_PGBOUNCER=1
    export DJANGO_STATIC_ROOT="$ROOT/static_collected"
    export DJANGO_ALLOWED_HOSTS="127.0.0.1,localhost"
    export DJANGO_CSRF_TRUSTED_ORIGINS="http://127.0.0.1:$PORT,http://localhost:$PORT"
    # nginx sends the lectures' private files once Django has checked the token.
    export DJANGO_LECTURES_STREAM_ACCEL_REDIRECT=/_lecture-files/
    GUNICORN_BIND=127.0.0.1:$port GUNICORN_WORKERS=$WORKERS setsid "${pin[@]}" \
      "$ROOT/.venv/bin/gunicorn" -c deploy/gunicorn.conf.py >>"$VAR/log/app$i.log" 2>&1 &
    echo $! > "$VAR/app$i.pid"
  )
  for _ in $(seq 1 100); do
    curl -fsS -o /dev/null "http://127.0.0.1:$port/healthz" 2>/dev/null && break
    sleep 0.2
  done
  echo "app instance $i: gunicorn ($WORKERS workers${pin:+, core $((i % $(nproc)))}) on 127.0.0.1:$port"
}

start_nginx() {
  local private
  private=$(set -a; . "$ENV_FILE"; echo "$DJANGO_PRIVATE_MEDIA_ROOT")
  local servers=""
  for i in $(seq 0 $((INSTANCES - 1))); do
    servers+="    server 127.0.0.1:$((APP_PORT + i)) max_fails=3 fail_timeout=10s;"$'\n'
  done
  mkdir -p "$VAR/nginx"
  cat > "$VAR/nginx/nginx.conf" <<CONF
user root;
worker_processes 1;
pid $VAR/nginx/nginx.pid;
error_log $VAR/log/nginx.error.log;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path $VAR/nginx/body;
  proxy_temp_path $VAR/nginx/proxy;
  fastcgi_temp_path $VAR/nginx/fastcgi;
  uwsgi_temp_path $VAR/nginx/uwsgi;
  scgi_temp_path $VAR/nginx/scgi;
  upstream lms_app {
$servers    keepalive 64;
  }
  server {
    listen 127.0.0.1:$PORT;
    client_max_body_size 60m;
    # Lectures' playlists and segments (private): only through X-Accel-Redirect from
    # lectures.views.stream_view, never by URL (deploy/nginx-lms.conf has the same).
    location ^~ /_lecture-files/ {
      internal;
      alias $private/lectures/;
      types { application/vnd.apple.mpegurl m3u8; video/mp2t ts; image/jpeg jpg; text/vtt vtt; }
      default_type application/octet-stream;
    }
    location / {
      proxy_pass http://lms_app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host \$host;
      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto \$scheme;
    }
  }
}
CONF
  /usr/sbin/nginx -c "$VAR/nginx/nginx.conf" -p "$VAR/nginx" -q
  echo "nginx on 127.0.0.1:$PORT → $INSTANCES instance(s)"
}

start() {
  [ -f "$ENV_FILE" ] || { echo "start make prod-local first (no $ENV_FILE)" >&2; exit 1; }
  command -v /usr/sbin/nginx >/dev/null && command -v /usr/sbin/pgbouncer >/dev/null || {
    echo "needs the Debian packages nginx and pgbouncer" >&2; exit 1; }
  mkdir -p "$VAR/log"
  alive "$VAR/pgbouncer/pgbouncer.pid" || start_pgbouncer
  for i in $(seq 0 $((INSTANCES - 1))); do alive "$VAR/app$i.pid" || start_app "$i"; done
  alive "$VAR/nginx/nginx.pid" || start_nginx
  echo "http://127.0.0.1:$PORT/   (stop: scripts/scale-out.sh stop)"
}

stop() {
  if alive "$VAR/nginx/nginx.pid"; then
    /usr/sbin/nginx -c "$VAR/nginx/nginx.conf" -p "$VAR/nginx" -s quit
    for _ in $(seq 1 50); do alive "$VAR/nginx/nginx.pid" || break; sleep 0.1; done
    echo "stopped nginx"
  fi
  for pidfile in "$VAR"/app*.pid; do [ -e "$pidfile" ] && stop_pidfile "$pidfile" "$(basename "$pidfile" .pid)"; done
  if alive "$VAR/pgbouncer/pgbouncer.pid"; then
    kill -TERM "$(cat "$VAR/pgbouncer/pgbouncer.pid")" && echo "stopped pgbouncer"
  fi
}

status() {
  alive "$VAR/nginx/nginx.pid" && echo "nginx: running on 127.0.0.1:$PORT" || echo "nginx: stopped"
  for pidfile in "$VAR"/app*.pid; do
    [ -e "$pidfile" ] && { alive "$pidfile" && echo "$(basename "$pidfile" .pid): running" || echo "$(basename "$pidfile" .pid): stopped"; }
  done
  alive "$VAR/pgbouncer/pgbouncer.pid" && echo "pgbouncer: running on 127.0.0.1:$PGB_PORT" || echo "pgbouncer: stopped"
}

case "${1:-start}" in
  start) start ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
