"""Gunicorn settings for CreditCheck: `gunicorn -c deploy/gunicorn_conf.py creditcheck.wsgi`.

Read from the environment (all optional):
  GUNICORN_BIND      address to listen on (default 127.0.0.1:8000; 0.0.0.0:8000 behind a proxy
                     on another host)
  WEB_CONCURRENCY    worker processes (default 2 per CPU + 1)
  GUNICORN_TIMEOUT   seconds a request may run before its worker is replaced (default 60)
  FORWARDED_ALLOW_IPS  gunicorn's own: proxies whose X-Forwarded-* headers are trusted
                     (default 127.0.0.1,::1)

Credit queries run on the Celery workers, so requests are short; the longest is rendering a
report PDF. Sync workers, one request at a time each: simple and predictable under load.

The access log leaves out the query string and the referer (filters carry CPF/CNPJ there) and
every line, access or error, passes CreditCheck's document mask (creditcheck/core/logging.py),
like the application's own logs.
"""

import multiprocessing
import os

from gunicorn.glogging import Logger

from creditcheck.core.logging import MaskDocumentsFilter

bind = [os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")]
workers = int(os.environ.get("WEB_CONCURRENCY") or 2 * multiprocessing.cpu_count() + 1)
worker_class = "sync"
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


class DocumentMaskingLogger(Logger):
    """Gunicorn's logger with CPF/CNPJ masked in the access and error logs."""

    def setup(self, cfg: object) -> None:
        super().setup(cfg)
        for log in (self.access_log, self.error_log):
            if not any(isinstance(f, MaskDocumentsFilter) for f in log.filters):
                log.addFilter(MaskDocumentsFilter())


logger_class = DocumentMaskingLogger
