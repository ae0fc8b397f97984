from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "creditcheck.core"
    label = "core"
    verbose_name = _("Cadastros gerais")

    def ready(self) -> None:
        # The role groups follow creditcheck/core/roles.py after every migrate (and after the
        # flush of a transactional test, which emits post_migrate too).
        from creditcheck.core.roles import sync_roles_after_migrate

        post_migrate.connect(
            sync_roles_after_migrate, sender=self, dispatch_uid="creditcheck.roles_sync"
        )
        # The audit of sign-in locks listens to django-axes' signal.
        from creditcheck.core import sign_in  # noqa: F401
