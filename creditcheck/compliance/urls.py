"""Compliance screens: the audit trail (auditoria/) and the LGPD data-subject report (lgpd/)."""

from django.urls import path

from creditcheck.compliance import views

app_name = "compliance"

urlpatterns = [
    path("auditoria/", views.audit_list, name="audit_list"),
    path("auditoria/exportar.csv", views.audit_csv, name="audit_csv"),
    path("auditoria/verificar/", views.audit_verify, name="audit_verify"),
    path("auditoria/<int:seq>/", views.audit_detail, name="audit_detail"),
    path("lgpd/", views.subject_report, name="subject_report"),
]
