"""Authentication backend: Django's ModelBackend, reading a user's permissions in one query.

Every API request and most screens check a permission. Django's backend reads the user's own
permissions and their groups' permissions in two queries; a UNION of both reads the same set in
one. Everything else (password check, inactive users, superusers) is Django's.
"""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Permission


class PermissionsInOneQueryBackend(ModelBackend):
    def get_all_permissions(self, user_obj: Any, obj: Any = None) -> set[str]:
        if not user_obj.is_active or user_obj.is_anonymous or obj is not None:
            return set()
        if not hasattr(user_obj, "_perm_cache"):
            fields = ("content_type__app_label", "codename")
            if user_obj.is_superuser:
                perms = Permission.objects.values_list(*fields)
            else:
                own = Permission.objects.filter(user=user_obj).values_list(*fields).order_by()
                of_groups = Permission.objects.filter(group__user=user_obj).values_list(*fields)
                perms = own.union(of_groups.order_by())
            user_obj._perm_cache = {f"{app_label}.{codename}" for app_label, codename in perms}
        return set(user_obj._perm_cache)
