"""REST API v1 routes."""

from django.urls import URLPattern, URLResolver, include, path
from rest_framework.routers import DefaultRouter

from creditcheck.analysis.api import (
    CreditQueryDetail,
    CreditQueryListCreate,
    CreditQueryProviderReport,
    CreditQueryReportPdf,
    CreditQuerySettleBilling,
)
from creditcheck.compliance.api import SubjectReportView
from creditcheck.contracts.api import ContractViewSet, InvoiceViewSet
from creditcheck.core.api import BranchViewSet
from creditcheck.core.api_docs import DocsView, SchemaView
from creditcheck.core.api_tokens import TokenCreateView
from creditcheck.costs.api import CostsReportView
from creditcheck.crm.api import LeadViewSet, ProspectViewSet
from creditcheck.customers.api import CustomerViewSet
from creditcheck.decisions.api import CreditPolicyViewSet
from creditcheck.erp.api import SyncContractsView, SyncCustomersView, SyncInvoicesView
from creditcheck.integrations.api import BranchIntegrationViewSet, CreditAnalysisSettingsView
from creditcheck.negativation.api import NegativationViewSet
from creditcheck.notices.api import (
    NoticeConsentViewSet,
    NoticeViewSet,
    RepaymentPlanViewSet,
    SmsStatusWebhook,
)

router = DefaultRouter()
router.register("branches", BranchViewSet, basename="branch")
router.register("customers", CustomerViewSet, basename="customer")
router.register("contracts", ContractViewSet, basename="contract")
router.register("invoices", InvoiceViewSet, basename="invoice")
router.register("leads", LeadViewSet, basename="lead")
router.register("prospects", ProspectViewSet, basename="prospect")
router.register("negativations", NegativationViewSet, basename="negativation")
router.register("notice-consents", NoticeConsentViewSet, basename="notice-consent")
router.register("notices", NoticeViewSet, basename="notice")
router.register("repayment-plans", RepaymentPlanViewSet, basename="repayment-plan")
router.register("branch-integrations", BranchIntegrationViewSet, basename="branch-integration")
router.register("credit-policies", CreditPolicyViewSet, basename="credit-policy")

urlpatterns: list[URLPattern | URLResolver] = [
    path("schema/", SchemaView.as_view(), name="api-schema"),
    path("auth/token/", TokenCreateView.as_view(), name="api-token"),
    path("docs/", DocsView.as_view(url_name="api-schema"), name="api-docs"),
    path(
        "settings/credit-analysis/",
        CreditAnalysisSettingsView.as_view(),
        name="api-credit-analysis-settings",
    ),
    path("credit-queries/", CreditQueryListCreate.as_view(), name="api-credit-query-list"),
    path("credit-queries/<int:pk>/", CreditQueryDetail.as_view(), name="api-credit-query-detail"),
    path(
        "credit-queries/<int:pk>/report.pdf",
        CreditQueryReportPdf.as_view(),
        name="api-credit-query-report-pdf",
    ),
    path(
        "credit-queries/<int:pk>/provider-report",
        CreditQueryProviderReport.as_view(),
        name="api-credit-query-provider-report",
    ),
    path(
        "credit-queries/<int:pk>/settle-billing/",
        CreditQuerySettleBilling.as_view(),
        name="api-credit-query-settle-billing",
    ),
    path("reports/costs/", CostsReportView.as_view(), name="api-reports-costs"),
    path("lgpd/subject-report/", SubjectReportView.as_view(), name="api-lgpd-subject-report"),
    # Bulk upsert by the ERP's ids (creditcheck/erp/sync.py).
    path("sync/customers/", SyncCustomersView.as_view(), name="api-sync-customers"),
    path("sync/contracts/", SyncContractsView.as_view(), name="api-sync-contracts"),
    path("sync/invoices/", SyncInvoicesView.as_view(), name="api-sync-invoices"),
    path(
        "webhooks/sms/zenvia/",
        SmsStatusWebhook.as_view(),
        name="api-sms-status-webhook",
    ),
    path("", include(router.urls)),
]
