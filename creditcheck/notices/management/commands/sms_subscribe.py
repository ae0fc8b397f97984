"""Subscribe this deployment's webhook to the SMS gateway's delivery receipts."""

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from creditcheck.notices.sms import sms_subscribe


class Command(BaseCommand):
    help = "Assina os recibos de entrega de SMS (Zenvia) no webhook desta instalação."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("url", help="URL pública de /api/v1/webhooks/sms/zenvia/")

    def handle(self, *args: Any, **options: Any) -> None:
        if not settings.SMS_WEBHOOK_TOKEN:
            raise CommandError("Defina SMS_WEBHOOK_TOKEN antes de assinar o webhook.")
        subscription = sms_subscribe(webhook_url=options["url"])
        self.stdout.write(f"Assinatura criada: {subscription}")
