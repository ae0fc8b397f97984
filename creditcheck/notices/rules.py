"""The shipped notice rule of every UF, with its source: what a notice before a negativação must
be (channels, contents) and how long after it the debt may be registered.

Pure data and pure functions; a stored StateNoticeRule (Configurações > Comunicados) overrides a
UF's default (`notices/selectors.py::notice_rule`). Sources: ../shared/docs/MARKET-AND-LAW.md,
section (b) and its 2026 addendum. Where no state law is known the default is 10 calendar days
(Serasa, SPC and Boa Vista practice) and, after STJ Tema 1.315 (2026), a letter or an electronic
notice whose delivery is proven.
"""

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from creditcheck.core.enums import State
from creditcheck.negativation.deadlines import add_business_days
from creditcheck.notices.enums import NoticeChannel, NoticeContent

CH = NoticeChannel
CT = NoticeContent
ALL_CHANNELS = (CH.LETTER, CH.EMAIL, CH.SMS)
# What every notice states where no state law asks for more: who claims which debt.
BASIC_CONTENTS = (CT.CREDITOR_NAME, CT.AMOUNT, CT.DUE_DATE)
DEFAULT_SOURCE = (
    "Sem lei estadual conhecida: 10 dias corridos (prática de Serasa, SPC e Boa Vista). "
    "Comunicado eletrônico válido com prova de envio e de entrega (STJ, Tema 1.315, 2026)."
)


@dataclass(frozen=True)
class UfRule:
    """One UF's notice rule."""

    state: str
    days: int
    business_days: bool
    channels_without_consent: tuple[str, ...]
    channels_with_consent: tuple[str, ...]
    contents: tuple[str, ...]
    source: str
    customized: bool = False  # a stored rule replaces the shipped default

    def allowed_channels(self, consented: bool) -> tuple[str, ...]:
        return self.channels_with_consent if consented else self.channels_without_consent

    def met_on(self, start: dt.date) -> dt.date:
        """The day a notice that started counting on `start` fulfils the waiting period."""
        if self.business_days:
            return add_business_days(start, self.days, self.state)
        return start + dt.timedelta(days=self.days)

    def fields(self) -> dict[str, Any]:
        """The editable fields (the form's initial values, the audit's before/after)."""
        return {
            "days": self.days,
            "business_days": self.business_days,
            "channels_without_consent": list(self.channels_without_consent),
            "channels_with_consent": list(self.channels_with_consent),
            "contents": list(self.contents),
            "source": self.source,
        }

    def describe(self) -> str:
        """E.g. "10 dias úteis; sem consentimento: carta"."""
        unit = "dias úteis" if self.business_days else "dias corridos"
        labels = ", ".join(str(CH(c).label) for c in self.channels_without_consent) or "nenhum"
        return f"{self.days} {unit}; sem consentimento: {labels}"


def _default(state: str) -> UfRule:
    return UfRule(
        state=state,
        days=10,
        business_days=False,
        channels_without_consent=ALL_CHANNELS,
        channels_with_consent=ALL_CHANNELS,
        contents=BASIC_CONTENTS,
        source=DEFAULT_SOURCE,
    )


_OVERRIDES = {
    "SP": dict(
        days=20,
        contents=(*BASIC_CONTENTS, CT.DEBT_NATURE, CT.REGISTRABLE_FROM),
        source=(
            "Lei SP 15.659/2015 art. 2º, com a redação da Lei SP 16.624/2017: 20 dias; o "
            "comunicado informa o credor, a natureza da dívida e o prazo para pagamento."
        ),
    ),
    "PE": dict(
        days=10,
        business_days=True,
        channels_without_consent=(CH.LETTER,),
        contents=(
            CT.CREDITOR_NAME,
            CT.CREDITOR_CNPJ,
            CT.CREDITOR_ADDRESS,
            CT.CREDITOR_PHONE,
            CT.DEBT_NATURE,
            CT.AMOUNT,
            CT.DUE_DATE,
        ),
        source=(
            "Lei PE 16.559/2019 (Código Estadual de Defesa do Consumidor) art. 48: carta por via "
            "postal simples; comunicado eletrônico só com autorização prévia do consumidor; "
            "razão social, CNPJ, endereço e telefone do credor e natureza da dívida; 10 dias "
            "úteis contados da postagem."
        ),
    ),
    "MT": dict(
        source=(
            "Lei MT 10.260/2015 e Lei MT 13.033/2025 (comunicado físico ou eletrônico): texto "
            "vigente a confirmar; enquanto isso, o padrão de 10 dias corridos. Revise aqui."
        ),
    ),
}

DEFAULT_RULES: dict[str, UfRule] = {
    state: replace(_default(state), **_OVERRIDES.get(state, {}))  # type: ignore[arg-type]
    for state in State.values
}
