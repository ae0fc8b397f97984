"""Settling the billing of a query the platform left uncertain (a 500, a call cut short).

Until settled, such a query counts apart in Relatórios > Custos ("cobrança incerta") and holds
its cost per query in the branch's budget. None of the platforms' adapters reads a statement
(extrato) of billed calls, so a person settles it: Financeiro or Administrador, after checking
with the platform.
"""

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from creditcheck.analysis.enums import Billed
from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.services.outcome import audit_query
from creditcheck.costs.usage import usage_settle

# What a settlement may say, and how it is written in the audit trail.
SETTLED_AS = {Billed.YES: "cobrada", Billed.NO: "não cobrada"}


class BillingSettlementRefused(Exception):
    """A settlement that cannot apply; `code` is the API's stable error code."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


def credit_query_settle_billing(
    *, query_id: int, billed: Billed, user: Any, ip_address: str | None = None
) -> CreditQuery:
    """Record whether the query whose billing was unknown was billed (`billed` YES or NO).

    Billed: its cost per query moves from the uncertain figures into the month's spend. Not
    billed: its cost becomes zero and leaves the figures, freeing the budget. Audited, with who
    settled it. Raises BillingSettlementRefused("billing_not_uncertain") when its billing is
    not (or no longer) unknown: the row lock makes the second of two settlements that one.
    """
    if billed not in SETTLED_AS:
        raise ValueError(f"a settlement says billed yes or no, not {billed!r}")
    with transaction.atomic():
        query = (
            CreditQuery.objects.select_for_update(of=("self",))
            .select_related("branch", "user")
            .get(pk=query_id)
        )
        if query.billed != Billed.UNKNOWN:
            raise BillingSettlementRefused(
                "billing_not_uncertain",
                _("A cobrança desta consulta já está definida: %(billed)s.")
                % {"billed": query.get_billed_display()},
            )
        amount = query.cost
        query.billed = billed
        query.cost = amount if billed == Billed.YES else Decimal("0.00")
        query.save(update_fields=["billed", "cost"])
        usage_settle(query, amount=amount)
        # Who settled it (the query keeps the user who asked for it).
        audit_query(
            query,
            f"cobrança confirmada: {SETTLED_AS[billed]}",
            by=user,
            ip_address=ip_address,
            billed=billed.value,
            cost=str(query.cost),
            before={"billed": Billed.UNKNOWN.value, "cost": str(amount)},
        )
    return query
