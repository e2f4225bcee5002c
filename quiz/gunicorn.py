"""gunicorn settings for production (`make serve`) and the load test.

Threads let a worker overlap requests that wait on PostgreSQL; a killed worker is replaced
by the master within a second, and its in-flight requests are retried by clients (answers
are idempotent)."""

import multiprocessing
import os

bind = os.getenv("BIND", "127.0.0.1:8000")
workers = int(os.getenv("WEB_WORKERS", str(multiprocessing.cpu_count() * 2 + 1)))
worker_class = "gthread"
threads = int(os.getenv("WEB_THREADS", "4"))
timeout = 30
graceful_timeout = 10
keepalive = 5
max_requests = 5000
max_requests_jitter = 500
accesslog = os.getenv("ACCESS_LOG", None)
errorlog = "-"
loglevel = os.getenv("LOG_LEVEL", "warning")
