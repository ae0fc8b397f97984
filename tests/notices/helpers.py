"""Electronic notices for tests, as the sending channels store them (rows, then events through
the service), until a test needs the real SMTP or SMS path."""

import datetime as dt

from creditcheck.contracts.models import Invoice
from creditcheck.notices.enums import NoticeChannel, NoticeStatus
from creditcheck.notices.models import Notice
from creditcheck.notices.rules import ALL_CHANNELS
from creditcheck.notices.texts import notice_values, stated


def electronic_notice(
    invoice: Invoice, *, sent_on: dt.date, channel: str = NoticeChannel.EMAIL
) -> Notice:
    """An e-mail (or SMS) stating every content the branch's data allows, sent on `sent_on`."""
    from creditcheck.notices.selectors import creditor_of

    values = notice_values(invoice, creditor_of(invoice.contract.branch), sent_on)
    customer = invoice.contract.customer
    assert channel in ALL_CHANNELS
    return Notice.objects.create(
        customer=customer,
        invoice=invoice,
        channel=channel,
        status=NoticeStatus.SENT,
        destination=customer.email or "cliente@example.com",
        subject="Aviso de negativação",
        body="\n".join(values.values()),
        contents=stated(values),
        sent_on=sent_on,
    )
