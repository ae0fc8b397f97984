"""CRM screens (the API routes live in creditcheck/api_urls.py)."""

from django.urls import path

from creditcheck.crm import views

app_name = "crm"

urlpatterns = [
    path("leads/", views.lead_list, name="lead_list"),
    path("leads/novo/", views.lead_create, name="lead_create"),
    path("leads/<int:pk>/", views.lead_edit, name="lead_edit"),
    path("leads/<int:pk>/criar-prospeccao/", views.lead_convert, name="lead_convert"),
    path("prospeccoes/", views.prospect_list, name="prospect_list"),
    path("prospeccoes/novo/", views.prospect_create, name="prospect_create"),
    path("prospeccoes/<int:pk>/", views.prospect_edit, name="prospect_edit"),
    path("prospeccoes/<int:pk>/converter/", views.prospect_convert, name="prospect_convert"),
]
