"""gunicorn settings for the LMS: `gunicorn -c deploy/gunicorn.conf.py lms.wsgi`.

Every value can be overridden from the environment (GUNICORN_*), so the systemd unit,
`make prod-local` and a container can share this file.
"""

import multiprocessing
import os

wsgi_app = "lms.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8010")

# Synchronous workers: the views are short, database-bound requests. The classic
# (2 × cores) + 1 keeps a core busy while another worker waits on PostgreSQL.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("GUNICORN_THREADS", "1"))
worker_class = "gthread" if threads > 1 else "sync"

# A request that runs longer than this is killed and logged; long jobs (certificate
# batches, large exports) belong in the task worker, not in a request.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "60"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))

# Recycle workers now and then so a slow leak cannot grow without bound; the jitter
# keeps them from all restarting at once.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "2000"))
max_requests_jitter = int(os.environ.get("GUNICORN_MAX_REQUESTS_JITTER", "200"))

# Load the application once in the master, then fork: faster starts, shared memory.
# Django opens database connections lazily, so none are inherited across the fork.
preload_app = os.environ.get("GUNICORN_PRELOAD", "1") == "1"


# Templates, catalogues, URL patterns and content types loaded before the workers start
# (lms/warmup.py): in the master when the app is preloaded, so every fork inherits them.
def when_ready(server):
    if server.cfg.preload_app:
        from lms.warmup import warm_up

        warm_up()


def post_worker_init(worker):
    if not worker.cfg.preload_app:
        from lms.warmup import warm_up

        warm_up()


# Logs on stdout/stderr, one line per request, for journald or the container runtime.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = (
    '{"time":"%(t)s","remote":"%({x-forwarded-for}i)s","method":"%(m)s","path":"%(U)s",'
    '"query":"%(q)s","status":%(s)s,"bytes":"%(B)s","duration_ms":%(M)s,'
    '"user_agent":"%(a)s"}'
)
# nginx on the same host (or the load balancer's address) may set X-Forwarded-*.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")
proc_name = "lms"
