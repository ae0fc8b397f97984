from django.contrib import admin

from creditcheck.crm.models import Lead, Prospect


@admin.register(Lead)
class LeadAdmin(admin.ModelAdmin):
    list_display = ["name", "document", "source", "branch", "created_at"]
    list_filter = ["source", "branch"]
    search_fields = ["name", "document", "email"]
    list_select_related = ["branch"]


@admin.register(Prospect)
class ProspectAdmin(admin.ModelAdmin):
    list_display = ["name", "document", "stage", "desired_plan", "branch", "created_at"]
    list_filter = ["stage", "branch"]
    search_fields = ["name", "document", "email"]
    list_select_related = ["branch"]
    raw_id_fields = ["lead", "converted_customer"]
