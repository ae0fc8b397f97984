"""credit_settings_update: the one home of "the interval is editable only while enabled"."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError

from creditcheck.integrations.models import CreditAnalysisSettings
from creditcheck.integrations.services import credit_settings_update
from tests.credit_setup import enable_credit_analysis

pytestmark = pytest.mark.django_db


def test_interval_change_while_disabled_is_refused_on_the_field(administrator: User) -> None:
    with pytest.raises(ValidationError) as refused:
        credit_settings_update(user=administrator, enabled=False, requery_interval_days=10)

    error = refused.value.error_dict["requery_interval_days"][0]
    assert (error.message, error.code) == (
        "O intervalo só pode ser alterado com a integração ativa (Sim).",
        "interval_requires_enabled",
    )
    row = CreditAnalysisSettings.load()
    assert (row.enabled, row.requery_interval_days) == (False, 0)


def test_disabling_keeps_the_interval_given_unchanged_or_not_at_all(administrator: User) -> None:
    enable_credit_analysis(interval_days=30)

    credit_settings_update(user=administrator, enabled=False, requery_interval_days=30)
    same = CreditAnalysisSettings.load()
    credit_settings_update(user=administrator, enabled=False, requery_interval_days=None)
    omitted = CreditAnalysisSettings.load()

    assert (same.enabled, same.requery_interval_days) == (False, 30)
    assert (omitted.enabled, omitted.requery_interval_days) == (False, 30)


def test_negative_interval_is_refused(administrator: User) -> None:
    with pytest.raises(ValidationError) as refused:
        credit_settings_update(user=administrator, enabled=True, requery_interval_days=-1)

    error = refused.value.error_dict["requery_interval_days"][0]
    assert (error.message, error.code) == (
        "Informe um número de dias igual ou maior que zero.",
        "min_value",
    )
    assert CreditAnalysisSettings.load().enabled is False
