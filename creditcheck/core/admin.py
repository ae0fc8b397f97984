from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from creditcheck.core.models import Branch
from creditcheck.core.sign_in import sign_in_unlock


@admin.register(Branch)
class BranchAdmin(admin.ModelAdmin):
    list_display = ["name", "cnpj", "state", "city", "active"]
    list_filter = ["active", "state"]
    search_fields = ["name", "cnpj", "city"]
    filter_horizontal = ["members"]


# The users' admin of django.contrib.auth, with the action that ends a sign-in lock.
admin.site.unregister(User)


@admin.register(User)
class CreditCheckUserAdmin(UserAdmin):
    actions = ["unlock_sign_in"]

    def has_unlock_permission(self, request: HttpRequest) -> bool:
        return request.user.has_perm("core.unlock_user")

    @admin.action(description=_("Desbloquear acesso"), permissions=["unlock"])
    def unlock_sign_in(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        usernames = list(queryset.values_list("username", flat=True))
        for username in usernames:
            sign_in_unlock(username=username, user=request.user)
        count = len(usernames)
        text = ngettext(
            "%(count)d usuário desbloqueado.", "%(count)d usuários desbloqueados.", count
        )
        self.message_user(request, text % {"count": count}, messages.SUCCESS)
