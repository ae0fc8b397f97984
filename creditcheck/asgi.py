"""ASGI entry point: `gunicorn -k uvicorn_worker.UvicornWorker creditcheck.asgi:application` in
production (deploy/gunicorn_conf.py), uvicorn in `make run`. ASGI lets the Server-Sent Events
views (creditcheck/core/sse.py) hold a connection open without holding a worker; every other
view runs as before, on a thread."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "creditcheck.settings")

application = get_asgi_application()
