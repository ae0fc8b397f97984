"""SPC Brasil sandbox: the SOAP 1.1 services of shared/docs/PROVIDERS.md §1 and §7.A.

    POST /spc/remoting/ws/consulta/consultaWebService   listarProdutos, detalharProduto, consultar
    POST /spc/remoting/ws/insumo/spc/spcWebService      incluirSpc, excluirSpc,
                                                        listarNaturezaInclusao,
                                                        listarMotivoExclusao, listarTipoDevedor
    GET  <either path>?wsdl                             a minimal WSDL 1.1 of the service

HTTP Basic auth: operador "sandbox", senha "sandbox123". Wrong credentials get SPC's
authentication layer answer (HTTP 401, text `CS_AUT001.E1.2`); the operator "bloqueado" (any
password) gets the locked-operator answer (HTTP 500, `<html>CS_AUT001.E1.7</html>`).
Products: 257 SPC MIX TOP + (every insumo, PF and PJ) and 634 SPC SÓ SCORE POSITIVO (score
only). Faults as SPC words them: consulta faults `S:Server` + "CODE - texto", insumo faults with
the code in faultcode (the shape captured from SPC's training environment). Registered debts show
in `consultar` as `detalhe-spc` once the notice period of the debtor's UF (taken from the CEP)
has passed. Billed: consultar and incluirSpc that succeed; nothing else.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from xml.sax.saxutils import escape

from lxml import etree

from providers.base import ProviderProtocolError, RestrictionKind
from providers.http import parse_xml
from providers.sandbox.render import brasilia, decimal_text
from providers.sandbox.scenarios import (
    Scenario,
    ScenarioCheque,
    ScenarioRestriction,
    Subject,
    scenario_for,
    subject_for,
)
from providers.sandbox.state import SandboxState, StoredInclusion
from providers.sandbox.wsgi import PlatformSandbox, Request, Response

KEY = "spcbrasil"
OPERATOR, PASSWORD = "sandbox", "sandbox123"
BLOCKED_OPERATOR = "bloqueado"
ASSOCIATE, ASSOCIATE_CITY, ASSOCIATE_UF = "PROVEDOR SANDBOX LTDA", "SAO PAULO", "SP"

SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SOAP12_ENV = "http://www.w3.org/2003/05/soap-envelope"
CONSULTA_NS = "http://webservice.consulta.spcjava.spcbrasil.org/"
INSUMO_NS = "http://webservice.spc.insumo.spcjava.spcbrasil.org/"
CONSULTA_PATH = "/spc/remoting/ws/consulta/consultaWebService"
INSUMO_PATH = "/spc/remoting/ws/insumo/spc/spcWebService"
XML = "text/xml; charset=utf-8"

# insumo name -> code; 1, 8, 9, 15, 17, 19, 21 and 5228 are SPC's, the others are made up.
INSUMO_CODES = {
    "consumidor": "1",
    "spc": "8",
    "cheque-lojista": "9",
    "pendencia-financeira": "11",
    "acao": "13",
    "ccf": "15",
    "protesto": "17",
    "alerta-documento": "19",
    "consulta-realizada": "21",
    "informacao-poder-judiciario": "24",
    "socio": "30",
    "spc-score-12-meses": "220",
    "score-cadastro-positivo": "5228",
}
PRODUCTS: dict[str, tuple[str, tuple[str, ...]]] = {
    "257": ("SPC MIX TOP +", tuple(INSUMO_CODES)),
    "634": ("SPC SÓ SCORE POSITIVO", ("consumidor", "score-cadastro-positivo")),
}
INCLUSION_NATURES = {
    "1": "PRESTACAO DE SERVICOS",
    "2": "VENDA A PRAZO - CREDIARIO",
    "3": "CONTRATO DE LOCACAO",
    "4": "OUTROS",
}
REMOVAL_REASONS = {
    "1": "PAGAMENTO DA DIVIDA",
    "2": "RENEGOCIACAO DA DIVIDA",
    "3": "SOLICITACAO DO ASSOCIADO",
    "4": "ORDEM JUDICIAL",
}
DEBTOR_TYPES = {"C": "COMPRADOR", "A": "AVALISTA", "F": "FIADOR"}
# How SPC words the alíneas of store cheques (upper case, no accents); CCF records carry only
# the code.
ALINEA_TEXTS = {
    "11": "CHEQUE SEM FUNDOS - 1A APRESENTACAO",
    "12": "CHEQUE SEM FUNDOS - 2A APRESENTACAO",
    "13": "CONTA ENCERRADA",
}

# First five CEP digits -> UF (Correios ranges), for the notice period of an inclusion.
# fmt: off
CEP_RANGES = (
    (1000, 19999, "SP"), (20000, 28999, "RJ"), (29000, 29999, "ES"), (30000, 39999, "MG"),
    (40000, 48999, "BA"), (49000, 49999, "SE"), (50000, 56999, "PE"), (57000, 57999, "AL"),
    (58000, 58999, "PB"), (59000, 59999, "RN"), (60000, 63999, "CE"), (64000, 64999, "PI"),
    (65000, 65999, "MA"), (66000, 68899, "PA"), (68900, 68999, "AP"), (69000, 69299, "AM"),
    (69300, 69399, "RR"), (69400, 69899, "AM"), (69900, 69999, "AC"), (70000, 72799, "DF"),
    (72800, 72999, "GO"), (73000, 73699, "DF"), (73700, 76799, "GO"), (76800, 76999, "RO"),
    (77000, 77999, "TO"), (78000, 78899, "MT"), (78900, 78999, "RO"), (79000, 79999, "MS"),
    (80000, 87999, "PR"), (88000, 89999, "SC"), (90000, 99999, "RS"),
)
# fmt: on


def uf_for_cep(cep: str) -> str:
    digits = "".join(ch for ch in cep if ch.isdigit()).zfill(8)
    prefix = int(digits[:5])
    return next((uf for low, high, uf in CEP_RANGES if low <= prefix <= high), "")


# --------------------------------------------------------------------------------------------
# XML helpers


def _local(element: etree._Element) -> str:
    return etree.QName(element.tag).localname if isinstance(element.tag, str) else ""


def _child(parent: etree._Element | None, name: str) -> etree._Element | None:
    if parent is None:
        return None
    return next((el for el in parent if _local(el) == name), None)


def _value(parent: etree._Element | None, name: str) -> str:
    found = _child(parent, name)
    return "".join(str(t) for t in found.itertext()).strip() if found is not None else ""


def _sub(parent: etree._Element, tag: str, text: str | None = None, **attrs: str) -> etree._Element:
    element = etree.SubElement(parent, tag, {k.replace("_", "-"): v for k, v in attrs.items()})
    if text is not None:
        element.text = text
    return element


def _stamp(day: dt.date) -> str:
    return f"{day.isoformat()}T00:00:00-03:00"


def _soap(payload: etree._Element, status: int = 200) -> Response:
    envelope = etree.Element(f"{{{SOAP_ENV}}}Envelope", nsmap={"S": SOAP_ENV})
    etree.SubElement(envelope, f"{{{SOAP_ENV}}}Body").append(payload)
    return Response(status, etree.tostring(envelope, xml_declaration=True, encoding="UTF-8"), XML)


def _fault(faultcode: str, faultstring: str, *, insumo: bool = False) -> Response:
    if insumo:  # as captured from treina.spc.org.br: ns2:Fault, code in faultcode
        fault = etree.Element(f"{{{SOAP_ENV}}}Fault", nsmap={"ns2": SOAP_ENV, "ns3": SOAP12_ENV})
    else:
        fault = etree.Element(f"{{{SOAP_ENV}}}Fault", nsmap={"ns4": SOAP12_ENV})
    _sub(fault, "faultcode", faultcode)
    _sub(fault, "faultstring", faultstring)
    return _soap(fault, 500)


def spc_fault(code: str, message: str, *, insumo: bool) -> Response:
    if insumo:
        return _fault(code, message, insumo=True)
    return _fault("S:Server", f"{code} - {message}")


def client_fault(message: str) -> Response:
    return _fault("S:Client", message)


def _payload(namespace: str, name: str) -> etree._Element:
    return etree.Element(f"{{{namespace}}}{name}", nsmap={"ns2": namespace})


# --------------------------------------------------------------------------------------------
# consultaWebService

Handler = Callable[[etree._Element, SandboxState, str], Response]  # (operation, state, operator)


def _product_element(parent: etree._Element | None, code: str) -> etree._Element:
    """A <produto>: inside <produtos> (listarProdutos) or the payload itself (detalharProduto)."""
    name, insumos = PRODUCTS[code]
    product = _payload(CONSULTA_NS, "produto") if parent is None else _sub(parent, "produto")
    _sub(product, "codigo", code)
    _sub(product, "nome", name)
    for parameter in ("codigo-produto", "documento-consumidor", "tipo-consumidor"):
        _sub(product, "parametro", nome=parameter, obrigatorio="true")
    for insumo in insumos:
        _sub(product, "insumo-retorno", nome=insumo, codigo=INSUMO_CODES[insumo], opcional="false")
    return product


def _consumer(parent: etree._Element, subject: Subject, today: dt.date) -> None:
    consumidor = _sub(parent, "consumidor")
    if subject.person_type == "F" or subject.company is None:
        age = (today - subject.birth_date).days // 365
        person = _sub(
            consumidor,
            "consumidor-pessoa-fisica",
            nome=subject.name,
            data_nascimento=_stamp(subject.birth_date),
            nome_mae=subject.mother_name,
            idade=str(age),
        )
        _sub(person, "cpf", numero=subject.document)
        _sub(person, "situacao-cpf", descricao_situacao=subject.receita_situation)
        return
    data = subject.company
    company = _sub(
        consumidor,
        "consumidor-pessoa-juridica",
        razao_social=subject.name,
        nome_comercial=data.trade_name,
        data_fundacao=_stamp(subject.birth_date),
        valor_capital_social=decimal_text(data.capital),
    )
    _sub(company, "cnpj", numero=subject.document)
    _sub(
        company,
        "situacao-cnpj",
        descricao_situacao=subject.receita_situation,
        data_situacao=_stamp(data.situation_on),
    )
    code, description = data.legal_nature
    _sub(company, "natureza-juridica", descricao=description, codigo=code)
    code, description = data.main_activity
    _sub(company, "atividade-economica-principal", descricao=description, codigo=code)


def _place(parent: etree._Element, tag: str, city: str, uf: str) -> None:
    _sub(_sub(parent, tag, nome=city), "estado", sigla_uf=uf)


@dataclass(frozen=True)
class _Context:
    scenario: Scenario
    subject: Subject
    today: dt.date
    inclusions: tuple[StoredInclusion, ...]

    def day(self, days_ago: int) -> dt.date:
        return self.today - dt.timedelta(days=days_ago)

    def of(self, *kinds: RestrictionKind) -> list[ScenarioRestriction]:
        return [r for r in self.scenario.restrictions if r.kind in kinds]


def _block(
    parent: etree._Element,
    name: str,
    count: int,
    amounts: list[Decimal | None] | None = None,
    dates: list[dt.date] | None = None,
) -> etree._Element:
    """A block with its resumo; a restriction block's (`amounts` given) sums its values, unless
    none has one (Bacen's CCF records carry none)."""
    block = _sub(parent, name)
    resumo = _sub(block, "resumo", quantidade_total=str(count))
    known = [amount for amount in amounts or [] if amount is not None]
    if amounts is not None and (known or not amounts):
        resumo.set("valor-total", decimal_text(sum(known, Decimal("0.00"))))
    if dates:
        resumo.set("data-primeira-ocorrencia", _stamp(min(dates)))
        resumo.set("data-ultima-ocorrencia", _stamp(max(dates)))
    return block


def _restriction_block(
    parent: etree._Element, name: str, items: list[ScenarioRestriction], ctx: _Context
) -> etree._Element:
    amounts = [r.amount for r in items]
    return _block(parent, name, len(items), amounts, [ctx.day(r.days_ago) for r in items])


def _set_amount(detail: etree._Element, name: str, amount: Decimal | None) -> None:
    if amount is not None:
        detail.set(name, decimal_text(amount))


def _render_spc(parent: etree._Element, ctx: _Context) -> None:
    rows = [
        (
            r.creditor,
            r.contract,
            r.amount,
            ctx.day(r.days_ago),
            min(ctx.today, ctx.day(r.days_ago - 15)),
            r.city,
            r.state,
        )
        for r in ctx.of(RestrictionKind.SPC)
    ] + [
        (
            i.creditor,
            i.contract,
            i.amount,
            i.due_date,
            i.included_at.date(),
            ASSOCIATE_CITY,
            ASSOCIATE_UF,
        )
        for i in ctx.inclusions
    ]
    block = _block(parent, "spc", len(rows), [r[2] for r in rows], [r[3] for r in rows])
    for creditor, contract, amount, due, included, city, uf in rows:
        detail = _sub(
            block,
            "detalhe-spc",
            nome_associado=creditor,
            contrato=contract,
            data_vencimento=_stamp(due),
            data_inclusao=_stamp(included),
            comprador_fiador_avalista="COMPRADOR",
            registro_instituicao_financeira="NAO",
        )
        _set_amount(detail, "valor", amount)
        _place(detail, "cidade-associado", city, uf)


def _render_pendencia(parent: etree._Element, ctx: _Context) -> None:
    items = ctx.of(RestrictionKind.PEFIN, RestrictionKind.REFIN)
    block = _restriction_block(parent, "pendencia-financeira", items, ctx)
    for r in items:
        detail = _sub(
            block,
            "detalhe-pendencia-financeira",
            origem=r.kind.value.upper(),
            nome_credor=r.creditor,
            contrato=r.contract,
            data_ocorrencia=_stamp(ctx.day(r.days_ago)),
            avalista="NAO",
        )
        _set_amount(detail, "valor-pendencia", r.amount)
        if r.description:
            detail.set("titulo-ocorrencia", r.description)
        _place(detail, "cidade", r.city, r.state)


def _render_protesto(parent: etree._Element, ctx: _Context) -> None:
    items = ctx.of(RestrictionKind.PROTESTO)
    block = _restriction_block(parent, "protesto", items, ctx)
    for r in items:
        detail = _sub(block, "detalhe-protesto", data_protesto=_stamp(ctx.day(r.days_ago)))
        _set_amount(detail, "valor", r.amount)
        if r.creditor:
            detail.set("requerente-credor", r.creditor)
        office = _sub(detail, "cartorio", nome=r.notary_office or r.creditor)
        _place(office, "cidade", r.city, r.state)


def _cheques(ctx: _Context, *, store: bool) -> list[ScenarioRestriction]:
    return [
        r
        for r in ctx.of(RestrictionKind.CHEQUE)
        if (r.cheque is not None and r.cheque.store) is store
    ]


def _bank_data(parent: etree._Element, cheque: ScenarioCheque) -> None:
    dados = _sub(parent, "dados-bancarios", numero_agencia=cheque.agency)
    _sub(dados, "banco", codigo=cheque.bank_code, nome=cheque.bank_name)


def _render_ccf(parent: etree._Element, ctx: _Context) -> None:
    """Bacen's CCF: one record per account, its reason and its last cheque's bank; no value."""
    items = _cheques(ctx, store=False)
    block = _block(
        parent, "ccf", len(items), [r.amount for r in items], [ctx.day(r.days_ago) for r in items]
    )
    for r in items:
        detail = _sub(
            block,
            "detalhe-ccf",
            quantidade="1",
            data_ultimo_cheque=_stamp(ctx.day(r.days_ago)),
            origem="BACEN",
        )
        _set_amount(detail, "valor", r.amount)
        if r.cheque is not None:
            _sub(detail, "motivo", codigo=r.cheque.alinea)
            _bank_data(_sub(detail, "ultimo-cheque"), r.cheque)
        _place(detail, "cidade", r.city, r.state)


def _render_store_cheques(parent: etree._Element, ctx: _Context) -> None:
    """Cheques returned to stores (SPC's cheque-lojista), in the layout v4.x shape: the cheque's
    value, number and bank nested in cheque-inicial, its alínea in an element of its own."""
    items = _cheques(ctx, store=True)
    block = _restriction_block(parent, "cheque-lojista", items, ctx)
    for r in items:
        detail = _sub(
            block,
            "detalhe-cheque-lojista",
            nome_associado=r.creditor,
            data_inclusao=_stamp(ctx.day(r.days_ago)),
        )
        cheque = r.cheque
        if cheque is None:
            continue
        _sub(detail, "alinea", codigo=cheque.alinea, descricao=ALINEA_TEXTS.get(cheque.alinea, ""))
        number, _, digit = cheque.number.partition("-")
        first = _sub(
            detail, "cheque-inicial", data_emissao=_stamp(ctx.day(r.days_ago + 10)), numero=number
        )
        if digit:
            first.set("digito", digit)
        _set_amount(first, "valor", r.amount)
        _bank_data(first, cheque)
        _place(detail, "cidade-associado", r.city, r.state)


def _render_lawsuits(
    parent: etree._Element, ctx: _Context, block_name: str, kind: RestrictionKind
) -> None:
    items = ctx.of(kind)
    block = _restriction_block(parent, block_name, items, ctx)
    for r in items:
        detail = _sub(
            block,
            f"detalhe-{block_name}",
            data_acao=_stamp(ctx.day(r.days_ago)),
            nome_autor=r.creditor,
            numero_processo=r.contract,
        )
        _set_amount(detail, "valor-acao", r.amount)
        # SPC pads comarca names with spaces (public sample); the adapter must strip them.
        court = _sub(detail, "vara", nome=r.court or "0001")
        _place(court, "comarca", r.city.ljust(30), r.state)
        _sub(detail, "tipo-acao", descricao=r.description)


def _render_inquiries(parent: etree._Element, ctx: _Context) -> None:
    items = ctx.scenario.inquiries
    block = _block(parent, "consulta-realizada", len(items))
    block.set("quantidade-dias-consultados", "90")
    for q in items:
        _sub(
            block,
            "detalhe-consulta-realizada",
            nome_associado=q.inquirer,
            data_consulta=_stamp(ctx.day(q.days_ago)),
            origem_associado=q.city,
        )


def _render_spc_score(parent: etree._Element, ctx: _Context) -> None:
    s = ctx.scenario
    block = _block(parent, "spc-score-12-meses", 1 if s.score is not None else 0)
    if s.score is not None:
        _sub(
            block,
            "detalhe-spc-score-12-meses",
            score=str(s.score),
            classe=s.score_band,
            probabilidade=str(s.default_probability or ""),
            horizonte="12",
        )


def risk_index(score: int) -> str:
    """Score Cadastro Positivo's risk index (BAIXO/MEDIO/ALTO) for a score."""
    return "BAIXO" if score >= 700 else "MEDIO" if score >= 400 else "ALTO"


def _render_positive_score(parent: etree._Element, ctx: _Context) -> None:
    score = ctx.scenario.score
    block = _sub(parent, "score-cadastro-positivo")
    # The real service carries this score in resumo/@quantidade-total (public sample).
    _sub(block, "resumo", quantidade_total=str(score if score is not None else 0))
    if score is not None:
        _sub(
            block,
            "detalhe-score-cadastro-positivo",
            indice_risco_credito_score=risk_index(score),
            mensagem="Essa informação é confidencial.",
        )


def _render_partners(parent: etree._Element, ctx: _Context) -> None:
    if ctx.subject.person_type != "J":
        return
    items = ctx.scenario.partners
    block = _block(parent, "socio", len(items))
    for p in items:
        _sub(
            block,
            "detalhe-socio",
            nome=p.name,
            documento=p.document,
            cargo=p.role,
            percentual_participacao=decimal_text(p.share),
        )


Renderer = Callable[[etree._Element, _Context], None]


def _empty(name: str) -> Renderer:
    """Insumos the scenarios never fill; SPC still sends them, with a zero resumo."""

    def render(parent: etree._Element, ctx: _Context) -> None:
        _block(parent, name, 0)

    return render


RENDERERS: dict[str, Renderer] = {
    "spc": _render_spc,
    "pendencia-financeira": _render_pendencia,
    "protesto": _render_protesto,
    "ccf": _render_ccf,
    "cheque-lojista": _render_store_cheques,
    "acao": lambda parent, ctx: _render_lawsuits(parent, ctx, "acao", RestrictionKind.ACAO),
    "informacao-poder-judiciario": lambda parent, ctx: _render_lawsuits(
        parent, ctx, "informacao-poder-judiciario", RestrictionKind.FALENCIA
    ),
    "alerta-documento": _empty("alerta-documento"),
    "consulta-realizada": _render_inquiries,
    "spc-score-12-meses": _render_spc_score,
    "score-cadastro-positivo": _render_positive_score,
    "socio": _render_partners,
}


def _resultado(product: str, ctx: _Context, protocol: int, now: dt.datetime) -> etree._Element:
    restricted = bool(ctx.scenario.restrictions or ctx.inclusions)
    resultado = _payload(CONSULTA_NS, "resultado")
    resultado.set("restricao", "true" if restricted else "false")
    resultado.set("data", brasilia(now).strftime("%Y-%m-%dT%H:%M:%S.000-03:00"))
    _sub(resultado, "protocolo", numero=str(protocol), digito=str(protocol % 97))
    _sub(resultado, "operador", codigo="102494488", nome="OPERADOR SANDBOX")
    for insumo in PRODUCTS[product][1]:
        if insumo == "consumidor":
            _consumer(resultado, ctx.subject, ctx.today)
        else:
            RENDERERS[insumo](resultado, ctx)
    return resultado


def _consultar(op: etree._Element, state: SandboxState, operator: str) -> Response:
    filtro = _child(op, "filtro")
    product = _value(filtro, "codigo-produto")
    kind = _value(filtro, "tipo-consumidor").upper()
    document = _value(filtro, "documento-consumidor").upper()

    def refuse(response: Response) -> Response:
        state.record(KEY, "consultar", document=document, credential=operator, billed=False)
        return response

    if not (product and kind and document):
        return refuse(
            client_fault(
                "Parametros obrigatorios: codigo-produto, tipo-consumidor, documento-consumidor"
            )
        )
    optional = [
        el.text or ""
        for el in (filtro if filtro is not None else [])
        if _local(el) == "codigo-insumo-opcional"
    ]
    if any(not code.strip().isdigit() for code in optional):
        return refuse(client_fault("codigo-insumo-opcional deve ser numerico"))
    if product not in PRODUCTS:
        return refuse(
            spc_fault("CN_INT005.E4", "Operador nao possui acesso ao produto", insumo=False)
        )
    if {"F": 11, "J": 14}.get(kind) != len(document):
        return refuse(
            spc_fault("CN_INT005.E8.3", "Tipo de documento invalido para o produto", insumo=False)
        )
    scenario = scenario_for(document)
    if scenario.error == "invalid_document":
        return refuse(spc_fault("CN_INT005.E8.2", "CPF/CNPJ inválido", insumo=False))
    if scenario.error:
        return refuse(spc_fault("CN_GER001.E0", "Erro interno", insumo=False))
    with state.lock:
        state.record(KEY, "consultar", document=document, credential=operator, billed=True)
        protocol = 14_700_000_000 + len(state.ledger)
    ctx = _Context(
        scenario,
        subject_for(document),
        state.today(),
        tuple(state.visible_inclusions(KEY, document)),
    )
    return _soap(_resultado(product, ctx, protocol, state.now()))


def _listar_produtos(op: etree._Element, state: SandboxState, operator: str) -> Response:
    state.record(KEY, "listarProdutos", document="", credential=operator, billed=False)
    produtos = _payload(CONSULTA_NS, "produtos")
    for code in PRODUCTS:
        _product_element(produtos, code)
    return _soap(produtos)


def _detalhar_produto(op: etree._Element, state: SandboxState, operator: str) -> Response:
    state.record(KEY, "detalharProduto", document="", credential=operator, billed=False)
    code = _value(op, "codigo-produto")
    if code not in PRODUCTS:
        return spc_fault("CN_INT005.E4", "Operador nao possui acesso ao produto", insumo=False)
    return _soap(_product_element(None, code))


# --------------------------------------------------------------------------------------------
# spcWebService (insumo)


class _BadField(ValueError):
    pass


def _person(parent: etree._Element | None) -> tuple[str, str, str]:
    """tipo-pessoa, document and name of an insumoSpc/excluir element."""
    kind = _value(parent, "tipo-pessoa").upper()
    if kind == "F":
        data = _child(parent, "dados-pessoa-fisica")
        number, name = _child(data, "cpf"), _value(data, "nome")
    elif kind == "J":
        data = _child(parent, "dados-pessoa-juridica")
        number, name = _child(data, "cnpj"), _value(data, "razao-social")
    else:
        raise _BadField("tipo-pessoa")
    document = (number.get("numero") or "").strip().upper() if number is not None else ""
    if not document:
        raise _BadField("numero do documento")
    return kind, document, name


def _required(parent: etree._Element | None, name: str) -> str:
    value = _value(parent, name)
    if not value:
        raise _BadField(name)
    return value


def _date_field(parent: etree._Element | None, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(_required(parent, name)[:10])
    except ValueError:
        raise _BadField(name) from None


def _document_fault(kind: str, document: str) -> Response | None:
    if {"F": 11, "J": 14}[kind] != len(document):
        return spc_fault("CN_INT005.E8.3", "Tipo de documento invalido", insumo=True)
    scenario = scenario_for(document)
    if scenario.error == "invalid_document":
        return spc_fault("CN_INT005.E8.2", "CPF/CNPJ inválido", insumo=True)
    if scenario.error:
        return spc_fault("CN_GER001.E0", "Erro interno", insumo=True)
    return None


def _incluir(op: etree._Element, state: SandboxState, operator: str) -> Response:
    insumo = _child(op, "insumoSpc")
    document = ""
    try:
        kind, document, name = _person(insumo)
        due = _date_field(insumo, "data-vencimento")
        _date_field(insumo, "data-compra")
        contract = _required(insumo, "numero-contrato")
        try:
            amount = Decimal(_required(insumo, "valor-debito"))
        except InvalidOperation:
            raise _BadField("valor-debito") from None
        if not amount.is_finite() or amount <= 0:
            raise _BadField("valor-debito")
        nature = _required(_child(insumo, "natureza-inclusao"), "id")
        if nature not in INCLUSION_NATURES:
            raise _BadField("natureza-inclusao")
        debtor_type = _value(insumo, "codigo-tipo-devedor").upper() or "C"
        if debtor_type not in DEBTOR_TYPES:
            raise _BadField("codigo-tipo-devedor")
        cep = _required(_child(insumo, "endereco-pessoa"), "cep")
    except _BadField as exc:
        state.record(KEY, "incluirSpc", document=document, credential=operator, billed=False)
        return client_fault(f"Campo invalido ou nao informado: {exc}")
    refused = _document_fault(kind, document)
    with state.lock:
        if refused is None and state.find_inclusion(
            KEY, document=document, contract=contract, due_date=due
        ):
            refused = spc_fault("IE_SPC001.E09", "Registro já existe", insumo=True)
        state.record(
            KEY, "incluirSpc", document=document, credential=operator, billed=refused is None
        )
        if refused is not None:
            return refused
        uf = uf_for_cep(cep)
        now = state.now()
        state.add_inclusion(
            StoredInclusion(
                platform=KEY,
                id=state.new_id(KEY),
                document=document,
                person_type=kind,
                name=name,
                contract=contract,
                our_number="",
                due_date=due,
                amount=amount,
                creditor=ASSOCIATE,
                state=uf,
                reason_code=nature,
                included_at=now,
                visible_at=now + dt.timedelta(days=state.notice_days(uf)),
                extra={"debtor_type": debtor_type},
            )
        )
    return _soap(_sucesso("Dados inseridos com sucesso!"))


def _sucesso(message: str) -> etree._Element:
    sucesso = _payload(INSUMO_NS, "sucesso")
    sucesso.text = message
    return sucesso


def _excluir(op: etree._Element, state: SandboxState, operator: str) -> Response:
    excluir = _child(op, "excluir")
    document = ""
    try:
        _kind, document, _name = _person(excluir)
        due = _date_field(excluir, "data-vencimento")
        contract = _required(excluir, "numero-contrato")
        reason = _required(_child(excluir, "motivo-exclusao"), "id")
        if reason not in REMOVAL_REASONS:
            raise _BadField("motivo-exclusao")
    except _BadField as exc:
        state.record(KEY, "excluirSpc", document=document, credential=operator, billed=False)
        return client_fault(f"Campo invalido ou nao informado: {exc}")
    with state.lock:
        state.record(KEY, "excluirSpc", document=document, credential=operator, billed=False)
        found = state.find_inclusion(KEY, document=document, contract=contract, due_date=due)
        if found is None:
            return spc_fault(
                "IE_SPC005.E10", "Registro não encontrado para a exclusão", insumo=True
            )
        found.removed_at = state.now()
        found.removal_reason = reason
    return _soap(_sucesso("Registro removido com sucesso!"))


def _code_list(operation: str, wrapper: str, item: str, codes: dict[str, str]) -> Handler:
    def handler(op: etree._Element, state: SandboxState, operator: str) -> Response:
        state.record(KEY, operation, document="", credential=operator, billed=False)
        payload = _payload(INSUMO_NS, wrapper)
        for code, description in codes.items():
            entry = _sub(payload, item)
            _sub(entry, "id", code)
            _sub(entry, "descricao", description)
        return _soap(payload)

    return handler


# --------------------------------------------------------------------------------------------
# Services, WSDL, authentication


@dataclass(frozen=True)
class _Operation:
    handler: Handler
    input_child: str  # "" = no parameters
    output: str


@dataclass(frozen=True)
class _Service:
    name: str
    namespace: str
    operations: dict[str, _Operation]


SERVICES = {
    CONSULTA_PATH: _Service(
        "ConsultaWebService",
        CONSULTA_NS,
        {
            "listarProdutos": _Operation(_listar_produtos, "", "produtos"),
            "detalharProduto": _Operation(_detalhar_produto, "codigo-produto", "produto"),
            "consultar": _Operation(_consultar, "filtro", "resultado"),
        },
    ),
    INSUMO_PATH: _Service(
        "SpcWebService",
        INSUMO_NS,
        {
            "incluirSpc": _Operation(_incluir, "insumoSpc", "sucesso"),
            "excluirSpc": _Operation(_excluir, "excluir", "sucesso"),
            "listarNaturezaInclusao": _Operation(
                _code_list(
                    "listarNaturezaInclusao",
                    "naturezas-inclusao",
                    "natureza-inclusao",
                    INCLUSION_NATURES,
                ),
                "",
                "naturezas-inclusao",
            ),
            "listarMotivoExclusao": _Operation(
                _code_list(
                    "listarMotivoExclusao", "motivos-exclusao", "motivo-exclusao", REMOVAL_REASONS
                ),
                "",
                "motivos-exclusao",
            ),
            "listarTipoDevedor": _Operation(
                _code_list("listarTipoDevedor", "tipos-devedor", "tipo-devedor", DEBTOR_TYPES),
                "",
                "tipos-devedor",
            ),
        },
    ),
}

_FILTER_FIELDS = """
<xs:complexType name="filtroConsulta"><xs:sequence>
<xs:element name="codigo-produto" type="xs:string"/>
<xs:element name="tipo-consumidor" type="xs:string"/>
<xs:element name="documento-consumidor" type="xs:string"/>
<xs:element name="codigo-insumo-opcional" type="xs:long" minOccurs="0" maxOccurs="unbounded"/>
<xs:element name="cep-consumidor" type="xs:string" minOccurs="0"/>
</xs:sequence></xs:complexType>"""


def wsdl(service: _Service, location: str) -> bytes:
    """A minimal, self-consistent WSDL 1.1 (document/literal) of one service."""
    ops = service.operations
    elements, messages, port_ops, binding_ops = [], [], [], []
    for name, op in ops.items():
        if op.input_child == "filtro":
            inner = '<xs:element name="filtro" type="tns:filtroConsulta"/>'
        elif op.input_child:
            inner = f'<xs:element name="{op.input_child}" type="xs:anyType"/>'
        else:
            inner = ""
        elements.append(
            f'<xs:element name="{name}"><xs:complexType><xs:sequence>{inner}'
            "</xs:sequence></xs:complexType></xs:element>"
        )
        messages.append(
            f'<message name="{name}"><part name="parameters" element="tns:{name}"/>'
            f'</message><message name="{name}Response"><part name="result" '
            f'element="tns:{op.output}"/></message>'
        )
        port_ops.append(
            f'<operation name="{name}"><input message="tns:{name}"/>'
            f'<output message="tns:{name}Response"/></operation>'
        )
        binding_ops.append(
            f'<operation name="{name}"><soap:operation soapAction=""/>'
            '<input><soap:body use="literal"/></input>'
            '<output><soap:body use="literal"/></output></operation>'
        )
    for output in dict.fromkeys(op.output for op in ops.values()):
        elements.append(f'<xs:element name="{output}" type="xs:anyType"/>')
    filter_type = _FILTER_FIELDS if any(op.input_child == "filtro" for op in ops.values()) else ""
    n = service.name
    document = (
        f'<?xml version="1.0" encoding="UTF-8"?>\n'
        f'<definitions xmlns="http://schemas.xmlsoap.org/wsdl/" '
        f'xmlns:soap="http://schemas.xmlsoap.org/wsdl/soap/" '
        f'xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:tns="{service.namespace}" '
        f'name="{n}" targetNamespace="{service.namespace}">'
        f'<types><xs:schema targetNamespace="{service.namespace}" '
        f'elementFormDefault="unqualified">{filter_type}{"".join(elements)}</xs:schema></types>'
        f'{"".join(messages)}<portType name="{n}">{"".join(port_ops)}</portType>'
        f'<binding name="{n}PortBinding" type="tns:{n}">'
        f'<soap:binding transport="http://schemas.xmlsoap.org/soap/http" style="document"/>'
        f"{''.join(binding_ops)}</binding>"
        f'<service name="{n}Service"><port name="{n}Port" binding="tns:{n}PortBinding">'
        f'<soap:address location="{escape(location, {chr(34): "&quot;"})}"/></port></service>'
        f"</definitions>\n"
    )
    return document.encode("utf-8")


def _basic_auth(request: Request) -> tuple[str, str]:
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "basic":
        return "", ""
    try:
        decoded = base64.b64decode(token.strip(), validate=True).decode("utf-8")
    except (binascii.Error, UnicodeDecodeError):
        return "", ""
    operator, _, password = decoded.partition(":")
    return operator, password


def auth_failure(request: Request) -> Response:
    """SPC's authentication layer: HTTP 401 with the bare code as plain text."""
    return Response(
        401,
        b"CS_AUT001.E1.2",
        "text/plain; charset=utf-8",
        {"WWW-Authenticate": 'Basic realm="SPC"'},
    )


def handle(request: Request, state: SandboxState) -> Response:
    service = SERVICES.get(request.path.rstrip("/"))
    if service is None:
        return Response(404, b"<html><body>404 Not Found</body></html>", "text/html")
    if request.method == "GET" and any(key.lower() == "wsdl" for key in request.query):
        state.record(KEY, "wsdl", document="", credential="", billed=False)
        host = request.headers.get("host", "127.0.0.1")
        return Response(200, wsdl(service, f"http://{host}/{KEY}{request.path}"), XML)
    if request.method != "POST":
        return Response(405, b"<html><body>405 Method Not Allowed</body></html>", "text/html")
    try:
        root = parse_xml(request.body)
    except ProviderProtocolError:
        state.record(KEY, "invalid", document="", credential="", billed=False)
        return client_fault("Couldn't create SOAP message due to exception: XML malformado")
    body = _child(root, "Body") if _local(root) == "Envelope" else None
    op = next((el for el in body if _local(el)), None) if body is not None else None
    operation = service.operations.get(_local(op)) if op is not None else None
    if op is None or operation is None or etree.QName(op.tag).namespace != service.namespace:
        state.record(KEY, "invalid", document="", credential="", billed=False)
        name = etree.QName(op.tag).text if op is not None else "?"
        return client_fault(f"Cannot find dispatch method for {name}")
    operator, password = _basic_auth(request)
    if operator == BLOCKED_OPERATOR or (operator, password) != (OPERATOR, PASSWORD):
        state.record(KEY, _local(op), document="", credential=operator, billed=False)
        if operator == BLOCKED_OPERATOR:
            return Response(500, b"<html>CS_AUT001.E1.7</html>", "text/html")
        return auth_failure(request)
    return operation.handler(op, state, operator)


SANDBOX = PlatformSandbox(
    key=KEY,
    handle=handle,
    auth_failure=auth_failure,
    credentials={"operador": OPERATOR, "senha": PASSWORD},
)
