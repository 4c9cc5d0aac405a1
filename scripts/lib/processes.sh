# Shell helpers shared by scripts/prod-local.sh and scripts/scale-out.sh (sourced).

# Run a command as the PostgreSQL server's owner when we are root.
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

# Is the process named in this pid file running?
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

stop_pidfile() {  # TERM the process group we started, wait, then KILL if needed
  local pidfile=$1 name=$2
  if alive "$pidfile"; then
    local pid; pid=$(cat "$pidfile")
    kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid"
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    kill -0 "$pid" 2>/dev/null && { kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid"; }
    echo "stopped $name"
  fi
  rm -f "$pidfile"
}
