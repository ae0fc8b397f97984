from django.contrib import admin

from creditcheck.core.models import Branch


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "cnpj", "state", "city", "active"]
    list_filter = ["active", "state"]
    search_fields = ["name", "cnpj", "city"]
    filter_horizontal = ["members"]
