"""manage.py verify_audit: recompute the audit chain and report the first broken link."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from creditcheck.core.audit import verify_audit_chain


class Command(BaseCommand):
    help = "Verifica a integridade da trilha de auditoria (cadeia de hashes)."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, broken = verify_audit_chain()
        if broken is not None:
            raise CommandError(
                f"Trilha de auditoria violada na entrada #{broken.seq}: {broken.reason} "
                f"({checked} entradas anteriores íntegras)."
            )
        self.stdout.write(f"Trilha de auditoria íntegra: {checked} entradas verificadas.")
