"""Does the bureau's identity of the consulted agree with our record? (the first fraud check)

One home for the rule: the result screen, our PDF report, the API (`identity_divergences`) and
the decision engine all read `identity_divergences(query)`.

What is compared: a person's name, birth date and mother's name; a company's (CNPJ) razão
social only. Our side is the record that was consulted (customer, lead or prospect) as it is
now, so correcting the record clears the warning; a bare CPF/CNPJ query has no record and
nothing to compare. Only what both sides have is compared: a blank side is no divergence.

Names are compared as staff would: accents, case, punctuation and spacing do not count, nor do
the particles (da, de, do, dos, das, e); an initial or a word cut with a period stands for any
word it begins ("MARIA A. DA SILVA" is "Maria Aparecida da Silva"), and a middle name one side
leaves out is tolerated, and so is a record with a first name only. The first and the last
names must agree: "JOAO DA SILVA FILHO" is not "João da Silva".
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from creditcheck.analysis.models import CreditQuery
from creditcheck.analysis.subjects import subject_of
from providers.base import Identity, PersonType
from providers.codec import identity_from_dict

NAME, BIRTH_DATE, MOTHER_NAME = "name", "birth_date", "mother_name"

PARTICLES = frozenset({"DA", "DE", "DO", "DAS", "DOS", "E", "D", "DI", "DU", "DEL"})
# Words a razão social may carry or leave out without naming another company.
COMPANY_SUFFIXES = frozenset({"LTDA", "ME", "EPP", "EIRELI", "SA", "SLU", "MEI", "CIA"})
SYNONYMS = {"JR": "JUNIOR", "FO": "FILHO"}  # the registries' abbreviations of agnomens


@dataclass(frozen=True)
class IdentityDivergence:
    """One field on which the bureau and our record disagree."""

    field: str  # NAME | BIRTH_DATE | MOTHER_NAME
    label: str  # pt-BR: "Nome", "Razão social", "Data de nascimento", "Nome da mãe"
    ours: str  # as our record has it (dates in ISO format)
    bureau: str  # as the bureau answered it (dates in ISO format)

    @property
    def ours_text(self) -> str:
        return _shown(self.ours) if self.field == BIRTH_DATE else self.ours

    @property
    def bureau_text(self) -> str:
        return _shown(self.bureau) if self.field == BIRTH_DATE else self.bureau

    @property
    def message(self) -> str:
        """The warning as staff read it: 'Nome: no cadastro “X”, na plataforma “Y”'."""
        return f"{self.label}: no cadastro “{self.ours_text}”, na plataforma “{self.bureau_text}”"


@dataclass(frozen=True)
class OurIdentity:
    name: str = ""
    birth_date: dt.date | None = None
    mother_name: str = ""


def _shown(iso: str) -> str:
    return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")


@dataclass(frozen=True)
class _Word:
    text: str
    short: bool  # an initial, or a word cut with a period: it stands for any word it begins

    def matches(self, other: _Word) -> bool:
        if self.text == other.text:
            return True
        if self.short and other.text.startswith(self.text):
            return True
        return other.short and self.text.startswith(other.text)


def _words(name: str, *, company: bool) -> list[_Word]:
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().upper()
    plain = re.sub(r"['’`´]", "", plain)
    if company:
        plain = re.sub(r"\bS\s*[./]?\s*A\b\.?", "SA", plain)  # S.A., S/A, S A
    words = []
    for token in re.findall(r"[A-Z0-9]+\.?", plain):
        text = token.rstrip(".")
        text = SYNONYMS.get(text, text)
        if text in PARTICLES or (company and text in COMPANY_SUFFIXES):
            continue
        words.append(_Word(text, short=token.endswith(".") or len(text) == 1))
    return words


def names_agree(ours: str, bureau: str, *, company: bool = False) -> bool:
    """Whether two spellings name the same person (or company); see the module's docstring."""
    a, b = _words(ours, company=company), _words(bureau, company=company)
    if not a or not b:
        return True  # nothing to compare on one side
    shorter, longer = (a, b) if len(a) <= len(b) else (b, a)
    first, last = shorter[0], shorter[-1]
    if not first.matches(longer[0]):
        return False
    if len(shorter) > 1 and (last.short or longer[-1].short or last.text != longer[-1].text):
        return False
    # Every other word of the shorter spelling appears, in order, in the longer one.
    position = 1
    for word in shorter[1:-1]:
        while position < len(longer) - 1 and not word.matches(longer[position]):
            position += 1
        if position >= len(longer) - 1:
            return False
        position += 1
    return True


def divergences_between(ours: OurIdentity, bureau: Identity) -> list[IdentityDivergence]:
    """The fields on which `ours` and the bureau's `bureau` disagree, in the order staff read
    them. Pure."""
    company = bureau.person_type is PersonType.COMPANY
    found = []
    if not names_agree(ours.name, bureau.name, company=company):
        label = "Razão social" if company else "Nome"
        found.append(IdentityDivergence(NAME, label, ours.name.strip(), bureau.name.strip()))
    if company:
        return found
    if ours.birth_date and bureau.birth_date and ours.birth_date != bureau.birth_date:
        found.append(
            IdentityDivergence(
                BIRTH_DATE,
                "Data de nascimento",
                ours.birth_date.isoformat(),
                bureau.birth_date.isoformat(),
            )
        )
    if not names_agree(ours.mother_name, bureau.mother_name):
        found.append(
            IdentityDivergence(
                MOTHER_NAME, "Nome da mãe", ours.mother_name.strip(), bureau.mother_name.strip()
            )
        )
    return found


def identity_divergences(query: CreditQuery) -> list[IdentityDivergence]:
    """Where the bureau's identity in `query`'s result disagrees with the record consulted;
    [] when the query has no result or no record. Reads the record (one query unless it is
    already loaded), writes nothing."""
    bureau = identity_from_dict(query.report) if query.report else None
    if bureau is None:
        return []
    subject = subject_of(query)
    if subject.record is None:
        return []
    ours = OurIdentity(subject.name, subject.birth_date, subject.mother_name)
    return divergences_between(ours, bureau)
