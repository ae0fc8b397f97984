"""creditcheck.core.documents against python-stdnum, the reference implementation.

Generated valid CPFs and CNPJs (numeric and alphanumeric, check digits from stdnum) must
validate, normalize and format as stdnum does, typed bare or masked. Any other string, random or
a mutation of a valid document, must be accepted exactly when stdnum accepts it, apart from the
module's documented rules:

- a document whose digits are all the same is refused (never issued, though some pass the
  check-digit algorithm);
- whitespace and control characters anywhere, and "/" in a CPF, are mask characters (stdnum
  trims surrounding whitespace only and strips "/" from CNPJs only);
- a CNPJ is ASCII digits and letters (stdnum's pattern also lets other Unicode digits through).
"""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st
from stdnum.br import cnpj as stdnum_cnpj
from stdnum.br import cpf as stdnum_cpf
from stdnum.util import clean as stdnum_clean

from creditcheck.core import documents

DIGITS = "0123456789"
LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
# What a typed or pasted document may hold: mask characters, their Unicode look-alikes (en dash,
# non-breaking hyphen, middle dot, fullwidth solidus), other whitespace and control characters,
# lower case, other Unicode digits (Arabic-Indic, fullwidth, superscript), letters that
# upper-case to ASCII (ı, ſ) or to two letters (ß), and plain junk.
TYPED = (
    DIGITS
    + LETTERS
    + "abcxyz .-/\t\n\x00\x7f"
    + "\u00a0\u2013\u2011\u00b7\uff0f\u0663\uff13\u00b2\u0131\u017f\u00df#*_,:"
)


def _cpf(base: str) -> str:
    """The CPF with stdnum's check digits (found by asking stdnum, not by our formula)."""
    return next(base + f"{d:02d}" for d in range(100) if stdnum_cpf.is_valid(base + f"{d:02d}"))


def _not_repeated(document: str) -> bool:
    return len(set(document)) > 1


cpfs = (
    st.text(DIGITS, min_size=9, max_size=9)
    .filter(lambda base: base != "0" * 9)  # stdnum refuses the zero CPF whatever the digits
    .map(_cpf)
    .filter(_not_repeated)
)
numeric_cnpjs = (
    st.text(DIGITS, min_size=12, max_size=12)
    .filter(lambda base: not base.startswith("0" * 12))
    .map(lambda base: base + stdnum_cnpj.calc_check_digits(base))
    .filter(_not_repeated)
)
alphanumeric_cnpjs = (
    st.text(DIGITS + LETTERS, min_size=12, max_size=12)
    .filter(lambda base: any(c.isalpha() for c in base))
    .map(lambda base: base + stdnum_cnpj.calc_check_digits(base))
)
valid_documents = st.one_of(cpfs, numeric_cnpjs, alphanumeric_cnpjs)


def stdnum_formatted(document: str) -> str:
    return (stdnum_cpf if len(document) == 11 else stdnum_cnpj).format(document)


@st.composite
def masked(draw: st.DrawFn, documents_: st.SearchStrategy[str]) -> tuple[str, str]:
    """(document, the same typed with stdnum's mask or separators sprinkled, any case)."""
    document = draw(documents_)
    typed = draw(st.sampled_from([document, stdnum_formatted(document)]))
    out = []
    for char in typed:
        out.append(draw(st.sampled_from([char, char.lower()])))
        out.append(draw(st.sampled_from(["", "", "", " ", ".", "-", "/", "\u2013", "\u00a0"])))
    return document, "".join(out)


@st.composite
def mutated(draw: st.DrawFn) -> str:
    """A valid document, masked or not, with a few characters replaced, inserted, deleted,
    duplicated or swapped."""
    text = list(draw(st.one_of(valid_documents, valid_documents.map(stdnum_formatted))))
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, len(text) - 1)) if text else 0
        operation = draw(st.sampled_from(["replace", "insert", "delete", "duplicate", "swap"]))
        char = draw(st.sampled_from(TYPED))
        if operation == "replace" and text:
            text[at] = char
        elif operation == "insert":
            text.insert(at, char)
        elif operation == "delete" and text:
            del text[at]
        elif operation == "duplicate" and text:
            text.insert(at, text[at])
        elif operation == "swap" and at + 1 < len(text):
            text[at], text[at + 1] = text[at + 1], text[at]
    return "".join(text)


def accepted_by_stdnum_modulo_documented_rules(typed: str) -> bool:
    # The module's extra mask characters, "/" as stdnum reads look-alikes (a fullwidth solidus).
    relaxed = re.sub(r"[\s\x00-\x1f\x7f/]", "", stdnum_clean(typed))
    compact = stdnum_cnpj.compact(relaxed)  # stdnum's own normal form (CPFs have no letters)
    return (
        (stdnum_cpf.is_valid(relaxed) or stdnum_cnpj.is_valid(relaxed))
        and compact.isascii()
        and _not_repeated(compact)
    )


@settings(max_examples=300)
@given(valid_documents)
def test_valid_documents_validate_and_format_as_stdnum(document: str) -> None:
    module = stdnum_cpf if len(document) == 11 else stdnum_cnpj

    assert documents.validate(document) == module.validate(document) == document
    assert documents.is_valid(document)
    assert documents.format(document) == module.format(document)
    assert documents.kind(document) == ("cpf" if len(document) == 11 else "cnpj")
    assert documents.person_type_for(document) == ("F" if len(document) == 11 else "J")
    assert documents.with_check_digits(document[:-2]) == document


@settings(max_examples=300)
@given(masked(valid_documents))
def test_masked_and_lower_case_forms_normalize_to_the_document(
    pair: tuple[str, str],
) -> None:
    document, typed = pair

    assert documents.normalize(typed) == document
    assert documents.validate(typed) == document
    assert documents.validate(documents.format(typed)) == document


@settings(max_examples=500)
@given(st.one_of(mutated(), st.text(TYPED, max_size=20), st.text(max_size=20)))
@example("529.982.247\u201325")  # an en dash, as word processors turn the hyphen
@example("529\u2011982\u2011247\u201125")  # non-breaking hyphens
@example("\u0665\u0662\u0669\u0669\u0668\u0662\u0662\u0664\u0667\u0662\u0665")  # Arabic digits
@example("529/982/247-25")
@example("11111111111")
@example("52998224725\n")
def test_any_string_is_accepted_exactly_when_stdnum_accepts_it(typed: str) -> None:
    expected = accepted_by_stdnum_modulo_documented_rules(typed)

    assert documents.is_valid(typed) is expected
    if expected:
        assert documents.validate(typed) == documents.normalize(typed)
        assert documents.kind(documents.normalize(typed)) is not None


@settings(max_examples=300)
@given(st.one_of(mutated(), st.text(TYPED, max_size=20), st.text(max_size=20)))
def test_kind_is_the_ascii_shape_of_a_cpf_or_cnpj(typed: str) -> None:
    shape = documents.kind(typed)

    if re.fullmatch(r"[0-9]{11}", typed, flags=re.ASCII):
        assert shape == "cpf"
    elif re.fullmatch(r"[0-9A-Z]{12}[0-9]{2}", typed, flags=re.ASCII):
        assert shape == "cnpj"
    else:
        assert shape is None


@settings(max_examples=200)
@given(st.one_of(mutated(), st.text(max_size=20)))
def test_invalid_documents_raise_the_documented_error_with_a_portuguese_message(
    typed: str,
) -> None:
    try:
        document = documents.validate(typed)
    except documents.InvalidDocumentError as exc:
        assert exc.code == "invalid_document"
        assert exc.message.startswith(("Informe o CPF", "CPF", "CNPJ"))
    else:
        assert documents.is_valid(document)
