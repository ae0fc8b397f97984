"""Notice services: rules and creditor's data (audited), consents, letters, events."""

import datetime as dt

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from creditcheck.contracts.models import Invoice
from creditcheck.core.enums import AuditAction
from creditcheck.core.models import AuditEntry, Branch
from creditcheck.negativation.enums import NegativationStatus, RemovalReason
from creditcheck.negativation.refusals import NegativationRefused
from creditcheck.negativation.services import negativation_include
from creditcheck.notices.enums import NoticeContent, NoticeEventKind, NoticeStatus, PlanKind
from creditcheck.notices.models import RepaymentPlan, StateNoticeRule
from creditcheck.notices.refusals import NoticeRefused
from creditcheck.notices.rules import DEFAULT_RULES
from creditcheck.notices.selectors import notice_rule, notice_rules
from creditcheck.notices.services import (
    consent_record,
    consent_revoke,
    notice_record_event,
    notice_record_letter,
    notice_rule_reset,
    notice_rule_save,
    repayment_plan_record,
)
from tests.conftest import Connect
from tests.negativation.conftest import MakeInvoice
from tests.notice_setup import creditor_for, letter_posted

pytestmark = pytest.mark.django_db


def test_every_uf_has_a_default_with_its_source() -> None:
    rules = notice_rules()
    assert len(rules) == 27
    assert all(rule.source for rule in rules)
    by_state = {rule.state: rule for rule in rules}
    assert (by_state["SP"].days, by_state["SP"].business_days) == (20, False)
    pe = by_state["PE"]
    assert (pe.days, pe.business_days, pe.channels_without_consent) == (10, True, ("letter",))
    assert set(pe.contents) >= {
        "creditor_name",
        "creditor_cnpj",
        "creditor_address",
        "creditor_phone",
        "debt_nature",
    }
    others = [r for s, r in by_state.items() if s not in ("SP", "PE")]
    assert {(r.days, r.business_days) for r in others} == {(10, False)}


def test_rule_save_and_reset_are_audited(administrator: User) -> None:
    notice_rule_save(
        state="MT",
        days=45,
        business_days=False,
        channels_without_consent=["letter"],
        channels_with_consent=["email", "letter"],
        contents=["creditor_name"],
        source="Lei MT 10.260/2015",
        user=administrator,
    )
    assert notice_rule("MT").days == 45 and notice_rule("MT").customized
    assert notice_rule("MT").channels_with_consent == ("letter", "email")

    notice_rule_reset(state="MT", user=administrator)

    assert notice_rule("MT") == DEFAULT_RULES["MT"]
    changes = AuditEntry.objects.filter(action=AuditAction.SETTINGS_CHANGE).order_by("seq")
    assert [
        (e.outcome, e.details["before"]["days"], e.details["after"]["days"]) for e in changes
    ] == [
        ("regra de comunicado MT", 10, 45),
        ("regra de comunicado MT", 45, 10),
    ]


@pytest.mark.parametrize(
    ("without", "with_", "field", "message"),
    [
        ([], [], "channels_without_consent", "Escolha ao menos um canal."),
        (
            ["email"],
            ["letter"],
            "channels_with_consent",
            "Um canal aceito sem consentimento também vale com consentimento.",
        ),
    ],
)
def test_rule_no_notice_could_meet_is_refused(
    administrator: User, without: list[str], with_: list[str], field: str, message: str
) -> None:
    with pytest.raises(NoticeRefused) as refused:
        notice_rule_save(
            state="RJ",
            days=10,
            business_days=False,
            channels_without_consent=without,
            channels_with_consent=with_,
            contents=[],
            source="x",
            user=administrator,
        )
    assert (refused.value.code, refused.value.field, refused.value.message) == (
        "invalid_rule",
        field,
        message,
    )
    assert StateNoticeRule.objects.count() == 0


def test_consent_recorded_revoked_and_refusals(
    financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    customer = make_overdue_invoice(noticed=False).contract.customer
    today = timezone.localdate()
    with pytest.raises(NoticeRefused) as future:
        consent_record(
            customer=customer,
            channel="email",
            given_on=today + dt.timedelta(days=1),
            source="Portal",
            user=financial,
        )
    assert (future.value.code, future.value.field) == ("future_date", "given_on")

    consent = consent_record(
        customer=customer, channel="email", given_on=today, source=" Portal ", user=financial
    )
    with pytest.raises(NoticeRefused) as early:
        consent_revoke(consent=consent, revoked_on=today - dt.timedelta(days=1), user=financial)
    assert early.value.code == "revoke_before_consent"
    consent_revoke(consent=consent, revoked_on=today, user=financial)
    with pytest.raises(NoticeRefused) as twice:
        consent_revoke(consent=consent, revoked_on=today, user=financial)
    assert twice.value.code == "consent_revoked"

    consent.refresh_from_db()
    assert (consent.source, consent.revoked_on, consent.recorded_by) == ("Portal", today, financial)
    assert list(
        AuditEntry.objects.filter(document=customer.document)
        .order_by("seq")
        .values_list("outcome", flat=True)
    ) == [
        "consentimento de comunicado eletrônico registrado",
        "consentimento de comunicado eletrônico revogado",
    ]


def test_letter_states_the_creditor_and_the_debt(
    financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(state="PE", amount="99.90", noticed=False)

    letter = letter_posted(invoice, days_ago=5, user=financial)

    branch = invoice.contract.branch
    assert letter.status == NoticeStatus.POSTED
    assert letter.contents == [c for c in NoticeContent.values if c != NoticeContent.PAYMENT]
    assert f"Razão social: {branch.name} Telecomunicações Ltda" in letter.body
    assert f"CNPJ: {branch.cnpj_formatted}" in letter.body
    assert "Telefone: (81) 3000-0000" in letter.body
    assert "débito de R$ 99,90" in letter.body
    assert [e.kind for e in letter.events.all()] == [NoticeEventKind.POSTED]


def test_letter_refused_without_creditor_data_or_in_the_future(
    financial: User, branch: Branch, make_overdue_invoice: MakeInvoice
) -> None:
    invoice = make_overdue_invoice(noticed=False)
    today = timezone.localdate()
    with pytest.raises(NoticeRefused) as missing:
        notice_record_letter(invoice=invoice, posted_on=today, user=financial)
    assert missing.value.code == "creditor_incomplete"
    creditor_for(branch)
    with pytest.raises(NoticeRefused) as future:
        notice_record_letter(
            invoice=invoice, posted_on=today + dt.timedelta(days=1), user=financial
        )
    assert (future.value.code, future.value.field) == ("future_date", "posted_on")
    assert invoice.notices.count() == 0


def test_returned_letter_keeps_its_detail(
    financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    letter = letter_posted(make_overdue_invoice(noticed=False))

    notice_record_event(
        notice=letter, kind=NoticeEventKind.BOUNCED, detail="Endereço desconhecido", user=financial
    )

    assert (letter.status, letter.status_detail) == (NoticeStatus.BOUNCED, "Endereço desconhecido")
    assert [e.kind for e in letter.events.all()] == ["posted", "bounced"]


# ---- repayment plans ---------------------------------------------------------------------------


def _plan(invoice: Invoice, user: User, **dates: dt.date) -> RepaymentPlan:
    today = timezone.localdate()
    fields = {
        "starts_on": today,
        "ends_on": today + dt.timedelta(days=365),
        "removal_on": today,
        **dates,
    }
    return repayment_plan_record(
        customer=invoice.contract.customer,
        kind=PlanKind.CONCILIATION,
        reference=" Termo 7/2026 ",
        invoices=[invoice],
        user=user,
        **fields,
    )


@pytest.mark.parametrize(
    ("dates", "code", "field"),
    [
        ({"ends_on": dt.date(2026, 1, 1)}, "plan_ends_before_start", "ends_on"),
        ({"removal_on": dt.date(2030, 1, 1)}, "plan_removal_outside", "removal_on"),
    ],
)
def test_plan_with_bad_dates_is_refused(
    financial: User,
    make_overdue_invoice: MakeInvoice,
    dates: dict[str, dt.date],
    code: str,
    field: str,
) -> None:
    with pytest.raises(NoticeRefused) as refused:
        _plan(make_overdue_invoice(), financial, **dates)
    assert (refused.value.code, refused.value.field) == (code, field)
    assert RepaymentPlan.objects.count() == 0


def test_plan_of_another_customers_debt_is_refused(
    financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    mine, theirs = make_overdue_invoice(), make_overdue_invoice()
    with pytest.raises(NoticeRefused) as refused:
        repayment_plan_record(
            customer=mine.contract.customer,
            kind=PlanKind.COURT,
            reference="1",
            starts_on=timezone.localdate(),
            ends_on=timezone.localdate(),
            removal_on=timezone.localdate(),
            invoices=[mine, theirs],
            user=financial,
        )
    assert refused.value.message == f"A fatura {theirs.number} não é deste cliente."


def test_plan_recorded_is_audited_and_withdraws_a_pending_negativation(
    financial: User, connect: Connect, make_overdue_invoice: MakeInvoice
) -> None:
    connect("spcbrasil")
    invoice = make_overdue_invoice(state="PE", noticed=False)
    negativation = negativation_include(invoice=invoice, user=financial)

    plan = _plan(invoice, financial)

    negativation.refresh_from_db()
    assert (negativation.status, negativation.removal_reason) == (
        NegativationStatus.REJECTED,
        RemovalReason.REPAYMENT_PLAN,
    )
    assert plan.reference == "Termo 7/2026"
    entry = AuditEntry.objects.get(outcome="plano de repactuação registrado")
    assert (entry.username, entry.details["invoices"]) == (financial.username, [invoice.number])
    with pytest.raises(NegativationRefused) as refused:
        negativation_include(invoice=invoice, user=financial)
    assert [r.code for r in refused.value.reasons] == ["repayment_plan"]


def test_letter_tells_how_to_pay_when_the_invoice_has_the_codes(
    financial: User, make_overdue_invoice: MakeInvoice
) -> None:
    from tests.contracts.test_payment_codes import BB_LINE, BCB_PIX

    invoice = make_overdue_invoice(state="PE", noticed=False)
    Invoice.objects.filter(pk=invoice.pk).update(digitable_line=BB_LINE, pix_code=BCB_PIX)
    invoice.refresh_from_db()

    letter = letter_posted(invoice, days_ago=5, user=financial)

    assert letter.contents == list(NoticeContent.values)
    assert (
        "Para pagar: linha digitável do boleto 00190.50095 40144.816069 06809.350314 3 "
        f"37370000000100; Pix copia e cola {BCB_PIX}." in letter.body
    )
