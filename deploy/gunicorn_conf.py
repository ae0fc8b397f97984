"""Gunicorn settings for CreditCheck.

    gunicorn -c deploy/gunicorn_conf.py creditcheck.asgi:application

Read from the environment (all optional):
  GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 behind a proxy
                     on another host)
  WEB_CONCURRENCY    worker processes (default 2 per CPU + 1)
  GUNICORN_TIMEOUT   seconds a request may run before its worker is replaced (default 60)
  FORWARDED_ALLOW_IPS  gunicorn's own: proxies whose X-Forwarded-* headers are trusted
                     (default 127.0.0.1,::1)

Credit queries run on the Celery workers, so requests are short; the longest is rendering a
report PDF. Uvicorn workers (ASGI, the `uvicorn-worker` package): the result screens hold an
event stream open while a query runs (creditcheck/core/sse.py), which an event loop keeps at
no cost; every other view runs on a thread as under WSGI. `GUNICORN_WORKER_CLASS=sync` with
`creditcheck.wsgi` still serves every page, with the screens falling back to polling.

The access log leaves out the query string and the referer (filters carry CPF/CNPJ there) and
every line, access or error, passes CreditCheck's document mask (creditcheck/core/logging.py),
like the application's own logs.
"""

import logging
import multiprocessing
import os

from gunicorn.glogging import Logger

from creditcheck.core.logging import MaskDocumentsFilter

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = os.environ.get("GUNICORN_WORKER_CLASS") or "uvicorn_worker.UvicornWorker"
timeout = int(os.environ.get("GUNICORN_TIMEOUT") or 60)
# On SIGTERM, requests in progress get this long to finish; deploy/prod_local.sh waits a bit
# longer before it kills what is left.
graceful_timeout = 15
# Behind a proxy keeping connections open to gunicorn.
keepalive = 5
# A worker is replaced after about this many requests, so slow leaks never accumulate; the
# jitter keeps workers from restarting all at once.
max_requests = 2000
max_requests_jitter = 200

# Gunicorn's runtime control socket defaults to one path per user: every gunicorn of the user
# on the machine (several prod-local runs, tests) would take it over from the others. Unused.
control_socket_disable = True

accesslog = "-"
errorlog = "-"
# Client, time, "METHOD /path PROTOCOL", status, bytes, duration, user agent.
access_log_format = '%(h)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(M)sms "%(a)s"'


class UvicornAccessWithoutQuery(logging.Filter):
    """Uvicorn's access lines ('%s - "%s %s HTTP/%s" %d') without the query string."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name == "uvicorn.access" and isinstance(record.args, tuple):
            args = list(record.args)
            if len(args) > 2 and isinstance(args[2], str):
                args[2] = args[2].split("?", 1)[0]
                record.args = tuple(args)
        return True


class DocumentMaskingLogger(Logger):
    """Gunicorn's logger with CPF/CNPJ masked in the access and error logs.

    The filters sit on the handlers too: uvicorn workers log through gunicorn's handlers from
    loggers of their own ("uvicorn.access", "uvicorn.error").
    """

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            for target in (log, *log.handlers):
                if log is self.access_log:
                    _add_once(target, UvicornAccessWithoutQuery)
                _add_once(target, MaskDocumentsFilter)


def _add_once(target: logging.Filterer, kind: type[logging.Filter]) -> None:
    if not any(isinstance(f, kind) for f in target.filters):
        target.addFilter(kind())


logger_class = DocumentMaskingLogger
