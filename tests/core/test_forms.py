"""Shared form building blocks: empty selects say "Selecione…" instead of Django's dashes."""

from __future__ import annotations

import pytest
from django import forms
from django.contrib.auth.models import User
from django.test import Client

from creditcheck.core.forms import SELECT_PROMPT, StyledFormMixin
from creditcheck.core.models import Branch
from creditcheck.customers.models import Customer


class _CustomerStateForm(StyledFormMixin, forms.ModelForm):
    branch = forms.ModelChoiceField(queryset=Branch.objects.all())
    kept = forms.ModelChoiceField(queryset=Branch.objects.all(), empty_label="Todas")

    class Meta:
        model = Customer
        fields = ["state"]


@pytest.mark.django_db
def test_blank_choices_say_selecione() -> None:
    form = _CustomerStateForm()

    assert SELECT_PROMPT == "Selecione…"
    assert next(iter(form.fields["state"].choices)) == ("", "Selecione…")  # type: ignore[attr-defined]
    assert form.fields["branch"].empty_label == "Selecione…"  # type: ignore[attr-defined]
    # A label chosen on purpose stays
    assert form.fields["kept"].empty_label == "Todas"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_screens_show_no_django_dashes(client: Client, seller: User) -> None:
    client.force_login(seller)

    for url in ("/clientes/novo/", "/crm/leads/novo/", "/crm/prospeccoes/novo/"):
        html = client.get(url).content.decode()
        assert "---------" not in html, url
    assert "Selecione…" in client.get("/clientes/novo/").content.decode()


@pytest.mark.django_db
def test_phone_input_masks_a_stored_number_and_keeps_a_typed_one(branch: Branch) -> None:
    from creditcheck.crm.forms import LeadForm
    from tests.factories import LeadFactory

    lead = LeadFactory.create(phone="11970000000", branch=branch)
    branches = Branch.objects.all()

    stored = LeadForm(instance=lead, branches=branches)
    typed = LeadForm({"phone": "11 3333-4444"}, instance=lead, branches=branches)

    assert 'value="(11) 97000-0000"' in str(stored["phone"])
    assert 'value="11 3333-4444"' in str(typed["phone"])
