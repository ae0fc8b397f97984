"""Notices by e-mail through Django's SMTP backend, keeping the server's answers as evidence.

`EvidenceSMTPBackend` is Django's SMTP EmailBackend sending each message with the MAIL, RCPT
and DATA commands one by one (what `smtplib.sendmail` does in one call) so that the server's
reply to each is kept: the transcript is the raw evidence of the notice's "enviada" event, and
a recipient the server refuses ends the notice "devolvida" with the server's code and text.
It is built with the settings' EMAIL_* values explicitly, so tests (where Django swaps
EMAIL_BACKEND for an in-memory one) still talk to a real SMTP server.
"""

import smtplib
from dataclasses import dataclass
from email.utils import make_msgid
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address


@dataclass(frozen=True)
class SmtpOutcome:
    message_id: str
    transcript: str  # the commands and the server's replies
    refused: str = ""  # the server's refusal of the recipient ("550 5.1.1 ..."), if any


def _reply(command: str, code: int, text: bytes | str) -> str:
    detail = text.decode(errors="replace") if isinstance(text, bytes) else text
    return f"{command} -> {code} {detail}"


class EvidenceSMTPBackend(EmailBackend):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.transcripts: list[str] = []

    def _send(self, email_message: EmailMessage) -> bool:
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        connection = self.connection
        assert connection is not None
        lines = []
        connection.ehlo_or_helo_if_needed()  # as smtplib's sendmail does
        code, text = connection.mail(sender)
        lines.append(_reply(f"MAIL FROM:<{sender}>", code, text))
        if code != 250:
            connection.rset()
            raise smtplib.SMTPSenderRefused(code, text, sender)
        refused = {}
        for recipient in recipients:
            code, text = connection.rcpt(recipient)
            lines.append(_reply(f"RCPT TO:<{recipient}>", code, text))
            if code not in (250, 251):
                refused[recipient] = (code, text)
        if refused:
            connection.rset()
            self.transcripts.append("\n".join(lines))
            raise smtplib.SMTPRecipientsRefused(refused)  # type: ignore[arg-type]
        message = email_message.message().as_bytes(linesep="\r\n")  # type: ignore[call-arg]
        code, text = connection.data(message)
        lines.append(_reply("DATA", code, text))
        self.transcripts.append("\n".join(lines))
        if code != 250:
            connection.rset()
            raise smtplib.SMTPDataError(code, text)
        return True


def send_notice_email(*, to: str, subject: str, body: str) -> SmtpOutcome:
    """Send one e-mail; refused recipients come back in `refused`, other SMTP or network
    failures raise (smtplib.SMTPException, OSError)."""
    message_id = make_msgid(domain=settings.NOTICE_EMAIL_DOMAIN)
    backend = EvidenceSMTPBackend(
        host=settings.EMAIL_HOST,
        port=settings.EMAIL_PORT,
        username=settings.EMAIL_HOST_USER,
        password=settings.EMAIL_HOST_PASSWORD,
        use_tls=settings.EMAIL_USE_TLS,
        timeout=settings.EMAIL_TIMEOUT,
    )
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.NOTICE_EMAIL_FROM,
        to=[to],
        headers={"Message-ID": message_id},
        connection=backend,
    )
    try:
        message.send()
    except smtplib.SMTPRecipientsRefused as exc:
        code, text = next(iter(exc.recipients.values()))
        detail = text.decode(errors="replace") if isinstance(text, bytes) else str(text)
        return SmtpOutcome(message_id, "\n".join(backend.transcripts), f"{code} {detail}")
    return SmtpOutcome(message_id, "\n".join(backend.transcripts))
