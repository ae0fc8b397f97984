from django.contrib import admin

from creditcheck.customers.models import Customer


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["name", "document", "person_type", "branch", "status"]
    list_filter = ["status", "person_type", "branch"]
    search_fields = ["name", "document", "email"]
    list_select_related = ["branch"]
