"""gunicorn settings for `make serve` and the benchmark: `gunicorn -c newsroom/gunicorn_conf.py`.

Workers: ``WEB_CONCURRENCY``, default 2 x cores + 1 (sync workers spend part of each request
waiting on PostgreSQL and Redis). Binds to loopback; put nginx in front for the world.
"""

import multiprocessing
import os

wsgi_app = "newsroom.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('PORT', '8000')}")
workers = int(os.environ.get("WEB_CONCURRENCY", 2 * multiprocessing.cpu_count() + 1))
worker_class = "sync"
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30
# Recycle workers now and then so a slow leak cannot grow without bound.
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "5000"))
max_requests_jitter = max_requests // 10
# Trust X-Forwarded-* only from the local proxy.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None
errorlog = "-"
# No runtime control socket: several gunicorns on one machine would share its default path.
control_socket_disable = True

# Load Django once in the master and fork the workers from it: they share its memory pages
# copy-on-write. gc.freeze() before each fork moves everything loaded so far out of the
# collector's sight, so collections neither scan it (shorter pauses, a lower p99) nor touch
# its pages (which would copy them into every worker).
preload_app = True


def pre_fork(server, worker):
    import gc

    gc.freeze()
