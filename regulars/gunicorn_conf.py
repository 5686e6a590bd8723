"""Gunicorn settings for `regulars serve`; also usable on its own:

    gunicorn -c python:regulars.gunicorn_conf

Values come from the environment so a deployment can tune them without editing code; the
`serve` command's flags (--host, --port, --workers, --access-log) override them.
"""

import gc
import os

from regulars.env import env_bool, env_int, env_str


def default_workers() -> int:
    # Django requests are mostly CPU: one process per core plus one to cover waits on the
    # database; threads in each process absorb slow clients and SQLite's lock waits.
    return (os.cpu_count() or 1) + 1


wsgi_app = "regulars.wsgi:application"
bind = [env_str("REGULARS_BIND", "127.0.0.1:8000")]
workers = env_int("REGULARS_WEB_WORKERS", default_workers())
worker_class = "gthread"
threads = env_int("REGULARS_WEB_THREADS", 4)
# Load Django once in the master and fork: faster start, shared memory, import errors fail early.
preload_app = True
timeout = env_int("REGULARS_WEB_TIMEOUT", 60)
graceful_timeout = env_int("REGULARS_WEB_GRACEFUL_TIMEOUT", 20)
keepalive = 5
# The access log costs a write per request; off unless asked for (serve --access-log).
accesslog = "-" if env_bool("REGULARS_ACCESS_LOG", False) else None
errorlog = "-"
loglevel = (env_str("LOG_LEVEL", "info") or "info").lower()
proc_name = "regulars-web"
# Gunicorn 24+ opens a control socket under ~/.gunicorn by default; several servers on one
# machine would share it, and nothing here uses it (older versions ignore this name).
control_socket_disable = True


def pre_fork(server, worker):
    # The objects loaded by the master (Django, the app, the URL configuration) live as long as
    # the process: frozen, the garbage collector of each web process never walks them again, so
    # its full collections stay short and the memory pages shared with the master stay shared.
    gc.freeze()
