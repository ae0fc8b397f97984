"""manage.py unlock_user USERNAME [--ip IP]: end a sign-in lock before it expires (audited)."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditcheck.core.sign_in import sign_in_unlock


class Command(BaseCommand):
    help = (
        "Desbloqueia a entrada de um usuário bloqueado por tentativas sem sucesso (e os IPs "
        "bloqueados por essas tentativas), ou de um IP com --ip."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username", nargs="?", default="", help="nome do usuário")
        parser.add_argument("--ip", default=None, help="endereço IP a desbloquear")

    def handle(self, *args: Any, **options: Any) -> None:
        username, ip_address = options["username"].strip(), options["ip"]
        if not username and not ip_address:
            raise CommandError("Informe o usuário ou --ip.")
        ips = sign_in_unlock(username=username, ip_address=ip_address)
        subject = f"Usuário {username}" if username else "Entrada"
        cleared = f" (IPs: {', '.join(sorted(ips))})" if ips else ""
        self.stdout.write(f"{subject} desbloqueado{cleared}.")
