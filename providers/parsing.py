"""Readers the platforms' parse modules share: the bounds of a readable answer, the totals of
platforms that send only the details, labelled details and the "Outras informações" of JSON
answers (what a parser did not take). Pure functions, no I/O."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any

from providers.base import Detail, KindTotal, Restriction, RestrictionKind

# No bureau records a debt of R$ 1 trillion: an amount at or beyond it (an exponent such as
# 1E+999999999 included) is a garbled answer. Bounding every amount read also keeps their sums
# within Decimal's range, where adding such exponents raises decimal.Overflow.
MAX_AMOUNT = Decimal(10) ** 12


def plausible_amount(amount: Decimal) -> bool:
    """Whether a number read from a platform's answer can be an amount (or a percentage)."""
    # copy_abs, not abs(): abs() rounds to the context and overflows on such exponents itself.
    return amount.is_finite() and amount.copy_abs() < MAX_AMOUNT


# Answers are a few levels deep and parsers walk them recursively: an answer nested deeper would
# end in a RecursionError instead of the contract's error.
MAX_NESTING = 64
# Text no database column stores: half of a UTF-16 surrogate pair (JSON may escape one,
# "\ud800", but it is no Unicode text) and NUL (PostgreSQL refuses it in text and jsonb).
_UNSTORABLE_TEXT = re.compile("[\x00\ud800-\udfff]")


def json_answer_problem(payload: Any) -> str:
    """What makes a decoded JSON answer unreadable (nesting beyond MAX_NESTING, text with an
    unpaired surrogate or a NUL), or "" when nothing does. Walked level by level, no recursion."""
    level: list[Any] = [payload]
    for _ in range(MAX_NESTING + 1):
        below: list[Any] = []
        for node in level:
            if isinstance(node, str) and _UNSTORABLE_TEXT.search(node):
                return "texto com caractere inválido"
            if isinstance(node, dict):
                below += [*node, *node.values()]
            elif isinstance(node, list):
                below += node
        if not below:
            return ""
        level = below
    return "aninhamento excessivo"


def lower_keys(value: Any) -> Any:
    """The payload with every object key lower-cased, so PascalCase and camelCase read alike
    (SOAWebService answers in both; its sandbox reads requests the same way)."""
    if isinstance(value, dict):
        return {str(key).lower(): lower_keys(item) for key, item in value.items()}
    if isinstance(value, list):
        return [lower_keys(item) for item in value]
    return value


def totals_from_restrictions(restrictions: tuple[Restriction, ...]) -> tuple[KindTotal, ...]:
    """Totals per kind, in RestrictionKind order, for platforms that send only the details."""
    result = []
    for kind in RestrictionKind:
        items = [r for r in restrictions if r.kind is kind]
        if items:
            amount = sum((r.amount or Decimal("0") for r in items), Decimal("0"))
            unvalued = sum(1 for r in items if r.amount is None)
            result.append(KindTotal(kind, len(items), amount, unvalued))
    return tuple(result)


# --------------------------------------------------------------------------------------------
# "Outras informações": what a parser did not map, labelled, with its path in the answer

# Beyond this many items the rest of the answer is summed up in one line (the raw payload is
# stored whole, so nothing is lost; the screen just stays readable).
MAX_OTHER_INFORMATION = 200
MAX_SHOWN_TEXT = 500
# Spellings that mean "no value" although they are not blank: .NET's DateTime.MinValue and the
# zeroed dates of fixed-width layouts.
NO_VALUE_SPELLINGS = frozenset({"0001-01-01T00:00:00", "0001-01-01", "00/00/0000", "0000-00-00"})

# Words of the platforms' field names, spelt without accents on the wire, as staff read them.
_WORDS = {
    "acao": "ação",
    "acoes": "ações",
    "agencia": "agência",
    "alinea": "alínea",
    "atualizacao": "atualização",
    "cartorio": "cartório",
    "codigo": "código",
    "credito": "crédito",
    "descricao": "descrição",
    "economica": "econômica",
    "emissao": "emissão",
    "endereco": "endereço",
    "enderecos": "endereços",
    "fisica": "física",
    "fundacao": "fundação",
    "historico": "histórico",
    "inclusao": "inclusão",
    "informacao": "informação",
    "informacoes": "informações",
    "inscricao": "inscrição",
    "instituicao": "instituição",
    "judiciario": "judiciário",
    "juridica": "jurídica",
    "localizacao": "localização",
    "mae": "mãe",
    "mes": "mês",
    "numero": "número",
    "ocorrencia": "ocorrência",
    "ocorrencias": "ocorrências",
    "participacao": "participação",
    "participacoes": "participações",
    "pendencia": "pendência",
    "pendencias": "pendências",
    "periodo": "período",
    "razao": "razão",
    "regiao": "região",
    "restricao": "restrição",
    "restricoes": "restrições",
    "situacao": "situação",
    "telefones": "telefones",
    "transacao": "transação",
    "ultima": "última",
    "ultimo": "último",
}
_ACRONYMS = frozenset(
    {"bacen", "ccf", "cep", "cnae", "cnpj", "cpf", "ddd", "ibge", "qsa", "rfb", "rg", "spc", "uf"}
)
_WORD_BOUNDARY = re.compile(r"[-_\s]+|(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")
_ISO_MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}|$)")


# Brasília time (UTC-3 all year since 2019): the platforms' times are shown as staff live them.
_BRASILIA = dt.timezone(dt.timedelta(hours=-3))


def _iso_moment(text: str) -> dt.datetime | None:
    """An ISO 8601 date or date-time of the wire, in Brasília time when it has an offset."""
    if not _ISO_MOMENT.match(text) or len(text) > 40:
        return None
    try:
        moment = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.astimezone(_BRASILIA) if moment.tzinfo else moment


def humanize(name: str) -> str:
    """A field name of the wire as a Portuguese label: "data-situacao", "dataSituacao" and
    "data_situacao" -> "Data situação"; known acronyms upper-cased ("situacaoRFB" -> "Situação
    RFB")."""
    words = [word for word in _WORD_BOUNDARY.split(name.strip()) if word]
    shown = []
    for word in words:
        lower = word.lower()
        shown.append(lower.upper() if lower in _ACRONYMS else _WORDS.get(lower, lower))
    text = " ".join(shown)
    return text[:1].upper() + text[1:]


def shown_text(value: Any) -> str:
    """A scalar of an answer as staff read it: Sim/Não, dates dd/mm/aaaa, whitespace collapsed;
    "" when it carries no value."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "Sim" if value else "Não"
    text = " ".join(str(value).split())
    if text in NO_VALUE_SPELLINGS:
        return ""
    if text.lower() in ("true", "false"):
        return "Sim" if text.lower() == "true" else "Não"
    moment = _iso_moment(text)
    if moment is not None:
        if (moment.hour, moment.minute) == (0, 0):
            return moment.strftime("%d/%m/%Y")
        return moment.strftime("%d/%m/%Y %H:%M")
    if len(text) > MAX_SHOWN_TEXT:
        return text[: MAX_SHOWN_TEXT - 1] + "…"
    return text


def detail(label: str, value: Any) -> Detail | None:
    """A labelled known field of an occurrence, or None when the answer left it blank."""
    text = shown_text(value)
    return Detail(label, text) if text else None


def details(*pairs: tuple[str, Any]) -> tuple[Detail, ...]:
    """The labelled fields among `pairs` that carry a value, in their order."""
    found = (detail(label, value) for label, value in pairs)
    return tuple(item for item in found if item is not None)


def capped(items: list[Detail]) -> tuple[Detail, ...]:
    """At most MAX_OTHER_INFORMATION items; the rest is said in one last line."""
    if len(items) <= MAX_OTHER_INFORMATION:
        return tuple(items)
    rest = len(items) - MAX_OTHER_INFORMATION + 1
    more = Detail("Demais informações", f"mais {rest} itens na resposta original da plataforma")
    return (*items[: MAX_OTHER_INFORMATION - 1], more)


def labelled(name: str, parent: str, labels: Mapping[str, str]) -> str:
    """The label of a field `name` inside `parent` (both raw wire names): the platform's own
    table first (by "parent/name", then by name), else both humanized."""
    for key in (f"{parent}/{name}".lower(), name.lower()):
        if key in labels:
            return labels[key]
    own = humanize(name)
    return f"{humanize(parent)} › {own}" if parent else own


class Answer(dict[str, Any]):
    """A JSON object of a platform's answer that remembers which keys its parser took.

    Parsers read it as any dict (`get`, `[]`); afterwards `untaken` lists every valued scalar
    they never asked for, which becomes the report's "Outras informações".
    """

    __slots__ = ("taken", "taken_whole", "wire_names")

    def __init__(self) -> None:
        super().__init__()
        self.taken: set[str] = set()  # read: a scalar is mapped, an object is looked into
        self.taken_whole: set[str] = set()  # taken with everything below it
        self.wire_names: dict[str, str] = {}  # key as parsers read it -> as the answer spelt it

    def get(self, key: str, default: Any = None) -> Any:
        self.taken.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> Any:
        self.taken.add(key)
        return super().__getitem__(key)

    def take(self, *keys: str) -> None:
        """Mark keys, with whatever is below them, as taken without reading them (what the
        adapter checked before parsing, what another field already says)."""
        self.taken.update(keys)
        self.taken_whole.update(keys)


def answer(value: Any, key: Callable[[str], str] = str) -> Any:
    """`value` (decoded JSON) with every object an Answer, keys rewritten by `key` (lower-cased,
    snake_case...) and the wire's spelling kept for labels and paths."""
    if isinstance(value, dict):
        obj = Answer()
        for name, item in value.items():
            read_as = key(str(name))
            obj.wire_names[read_as] = str(name)
            dict.__setitem__(obj, read_as, answer(item, key))
        return obj
    if isinstance(value, list):
        return [answer(item, key) for item in value]
    return value


def take(mapping: Any, *keys: str) -> None:
    """Mark keys of an Answer, with what is below them, as taken (no-op on plain mappings)."""
    if isinstance(mapping, Answer):
        mapping.take(*keys)


def untaken(
    value: Any, labels: Mapping[str, str], *, path: str = "", parent: str = "", taken: bool = False
) -> Iterator[Detail]:
    """Every valued scalar of an answer built by `answer()` that its parser did not take, as a
    labelled Detail with its path ("dadosNegativos.protestos.detalhes[0].cartorio")."""
    if isinstance(value, Answer):
        for read_as, item in dict.items(value):
            name = value.wire_names.get(read_as, read_as)
            step = f"{path}.{name}" if path else name
            is_taken = read_as in value.taken
            if read_as in value.taken_whole:
                continue
            if isinstance(item, dict | list):
                yield from untaken(item, labels, path=step, parent=name, taken=is_taken)
            elif not is_taken:
                text = shown_text(item)
                if text:
                    yield Detail(labelled(name, parent, labels), text, step)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            step = f"{path}[{index}]"
            if isinstance(item, dict | list):
                yield from untaken(item, labels, path=step, parent=parent, taken=taken)
            elif not taken:
                text = shown_text(item)
                if text:
                    yield Detail(labelled(parent, "", labels), text, step)
