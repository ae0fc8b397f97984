"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives and refuses the
mailboxes of REFUSED (550), as a recipient's mail server does."""

import socket
from collections.abc import Iterator
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

import pytest
from aiosmtpd.controller import Controller

REFUSED_DOMAIN = "caixa-inexistente.example"


@dataclass
class Mailbox:
    received: list[EmailMessage] = field(default_factory=list)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: Any
    ) -> str:
        if address.endswith(f"@{REFUSED_DOMAIN}"):
            return "550 5.1.1 Caixa postal inexistente"
        envelope.rcpt_tos.append(address)
        return "250 2.1.5 Ok"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        message = message_from_bytes(envelope.content, policy=policy.default)
        assert isinstance(message, EmailMessage)
        self.received.append(message)
        return f"250 2.0.0 Ok: queued as Q{len(self.received):04d}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[Mailbox]:
    """The SMTP server the notices are sent to (it is the recipients' own: acceptance is
    delivery)."""
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", controller.port
    settings.NOTICE_EMAIL_ACCEPTED_IS_DELIVERED = True
    try:
        yield mailbox
    finally:
        controller.stop()
