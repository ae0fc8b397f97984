from django.contrib import admin
from django.urls import include, path

from creditcheck.core.health import healthz
from creditcheck.erp.urls import webhook_urlpatterns

# Under /api/ an unknown URL, or a request refused before any view, answers the API's JSON
# error body (see the views).
handler400 = "creditcheck.core.api.bad_request"
handler404 = "creditcheck.core.api.page_not_found"

urlpatterns = [
    # Probed by load balancers and `make prod-local`; no login (see creditcheck/core/health.py).
    path("healthz", healthz, name="healthz"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("creditcheck.api_urls")),
    # Payment gateways and PSPs post here, authenticated by each source's secret (no session).
    path("", include((webhook_urlpatterns, "webhooks"))),
    path("", include("creditcheck.ui_urls")),
]
