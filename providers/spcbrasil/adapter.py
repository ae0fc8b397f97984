"""SPC Brasil direct: SOAP 1.1 over HTTP Basic auth (operador:senha do WebService).

Two services below the platform root (config.base_url; production https://servicos.spc.org.br,
training https://treina.spc.org.br): consultaWebService (listarProdutos, detalharProduto,
consultar) and the negativação service spcWebService (incluirSpc, excluirSpc,
listarNaturezaInclusao, listarMotivoExclusao, listarTipoDevedor).

CONFIRMED by public material (shared/docs/PROVIDERS.md §1, shared/fixtures/spcbrasil/):
- paths, namespaces, document/literal with `SOAPAction: ""`, HTTP Basic auth;
- the consultar filter (codigo-produto, tipo-consumidor F|J, documento-consumidor) and the
  response: resultado@restricao, protocolo numero/digito, consumidor-pessoa-fisica|juridica, one
  block per insumo with resumo quantidade-total/valor-total even when empty, detail attributes of
  spc, protesto (cartorio/cidade/estado), acao (vara/comarca/estado, tipo-acao), ccf,
  consulta-realizada and the score blocks; score-cadastro-positivo carrying its value in
  resumo/@quantidade-total; base-inoperante; padded values; consumidor-pessoa-juridica's
  razao-social, nome-comercial, data-fundacao, situacao-cnpj@data-situacao, natureza-juridica
  and atividade-economica-principal (codigo, descricao), endereco and telefone elements;
- products 257 "SPC MIX TOP +" and 634 "SPC SÓ SCORE POSITIVO", listarProdutos' shape;
- incluirSpc <insumoSpc> and excluirSpc <excluir> request shapes (captured requests) and the
  <sucesso> texts;
- faults CN_INT005.E2.3/E3 (credentials), E4 (product), E8.2/E8.3/E8.4 (document),
  CN_GER001.E0 (internal), IE_SPC001.E09 (duplicate), IE_SPC005.E10 (not found), and the
  authentication layer's plain-text CS_AUT001.E1.2 (HTTP 401) and CS_AUT001.E1.7 (operator
  locked, HTTP 500);
- billing: consultar is charged per call; listarProdutos/detalharProduto are free.

DOC-DERIVED (the layout v4.x documentation's examples, as public clients built from them read
them; no captured sample shows them):
- detalhe-cheque-lojista: nome-associado, data-inclusao, alinea (codigo, descricao), and the
  cheque's value, number, digit and bank nested in cheque-inicial (valor, numero, digito,
  data-emissao, dados-bancarios numero-agencia / banco codigo, nome), cheque-final for a range;
- detalhe-ccf: quantidade, data-ultimo-cheque, origem, motivo (codigo) and the last cheque's
  bank in ultimo-cheque/dados-bancarios; detalhe-spc's telefone-associado, codigo-entidade,
  comprador-fiador-avalista and registro-instituicao-financeira; the contra-ordem and contumacia
  blocks (stopped cheques); valor-capital-social, inscricao-estadual.
Whatever an answer carries beyond these is kept as the report's other_information, with its
path, never dropped (parse.Reading).

ASSUMED (no public WSDL/XSD; see the sandbox for the exact shapes we chose):
- the response element names of incluirSpc/excluirSpc (<sucesso>, wrapped or bare, both read)
  and of the three id/descrição lists;
- pendencia-financeira's detail attributes (origem PEFIN|REFIN, nome-credor, valor-pendencia,
  data-ocorrencia), the falência marker (block informacao-poder-judiciario, or an ação whose
  tipo-acao names falência/recuperação judicial), the PJ partners block `socio`;
- incluirSpc is charged (excluirSpc and the lists are not); no fault is charged;
- optional insumos (codigo-insumo-opcional) are not requested: the product the branch contracted
  is consulted as configured at SPC.

SPC keeps no id of its own for a registered debt and has no status operation: a record is
identified by document + contract + due date, so `include` returns the deterministic key
"SPC:<document>:<contract>:<yyyy-mm-dd>" with state PENDING and `inclusion_status` raises
OperationNotSupported. The caller applies the notice period (FAC letter: 20 days in SP, 10
elsewhere) itself to decide when the debt shows in consultations. A duplicate (IE_SPC001.E09) is
returned as a receipt with duplicate=True and the same key.
"""

from __future__ import annotations

from typing import ClassVar

from lxml import etree

from providers import base
from providers.adapter import BaseAdapter
from providers.http import HttpResponse
from providers.spcbrasil import parse, wire

DEFAULT_PRODUCT = "257"  # SPC MIX TOP +


class Adapter(BaseAdapter):
    key: ClassVar[str] = "spcbrasil"

    # Transport ------------------------------------------------------------------------------

    def _post(self, path: str, envelope: bytes, *, billed: bool) -> HttpResponse:
        return self.http.request(
            "POST",
            self.base_url + path,
            billed=billed,
            content=envelope,
            headers=wire.HEADERS,
            auth=(self.config.credential("operador"), self.config.credential("senha")),
        )

    def _call(self, path: str, envelope: bytes, *, billed: bool) -> tuple[etree._Element, str]:
        response = self._post(path, envelope, billed=billed)
        payload = parse.read_envelope(response.status, response.content, billed=billed)
        return payload, response.text

    # Consultation ---------------------------------------------------------------------------

    def consult(self, request: base.ConsultRequest) -> base.CreditReport:
        """Run `consultar` (charged by SPC per call; never retried once it may have arrived).

        Of the subject, `<filtro>` carries the CEP (`cep-consumidor`); it has no field for the
        UF or the birth date (PROVIDERS.md 1.1), so those two are not sent.
        """
        product = request.product or DEFAULT_PRODUCT
        envelope = wire.consult(
            product=product,
            person_type=request.person_type,
            document=request.document,
            cep=request.cep,
        )
        payload, raw = self._call(wire.CONSULTA_PATH, envelope, billed=True)
        try:
            return parse.parse_report(
                payload,
                document=request.document,
                person_type=request.person_type,
                product=product,
                raw=raw,
                billed=base.Billed.YES,
            )
        except base.ProviderProtocolError as exc:
            raise base.unreadable_answer(exc, base.Billed.YES) from exc

    def products(self) -> tuple[base.Product, ...]:
        """listarProdutos (free)."""
        payload, _raw = self._call(wire.CONSULTA_PATH, wire.list_products(), billed=False)
        return parse.parse_products(payload)

    def product(self, code: str) -> base.Product:
        """detalharProduto (free); ProductNotAllowed when the operator has no access to it."""
        payload, _raw = self._call(wire.CONSULTA_PATH, wire.product_details(code), billed=False)
        found = parse.parse_products(payload)
        if not found:
            raise base.ProviderProtocolError(
                "detalharProduto sem <produto>", code="unexpected_payload"
            )
        return found[0]

    def check_credentials(self) -> None:
        """listarProdutos, the cheapest authenticated call; raises AuthenticationFailed."""
        self.products()

    def balance(self) -> base.Balance:
        raise base.OperationNotSupported(
            code="not_supported", user_message="O SPC Brasil não informa saldo pelo WebService."
        )

    # Negativação ----------------------------------------------------------------------------

    def include(self, request: base.InclusionRequest) -> base.InclusionReceipt:
        """incluirSpc (charged). A record SPC already holds comes back as duplicate=True."""
        platform_id = wire.inclusion_key(request)
        response = self._post(wire.INSUMO_PATH, wire.include(request), billed=True)
        try:
            payload = parse.read_envelope(response.status, response.content, billed=True)
        except base.DuplicateRecord as exc:
            return base.InclusionReceipt(
                platform_id=platform_id,
                state=base.InclusionState.PENDING,
                billed=base.Billed.NO,
                raw=response.text,
                duplicate=True,
                messages=(exc.message,),
            )
        return base.InclusionReceipt(
            platform_id=platform_id,
            state=base.InclusionState.PENDING,
            billed=base.Billed.YES,
            raw=response.text,
            messages=(parse.success_message(payload),),
        )

    def remove(self, request: base.RemovalRequest) -> base.RemovalReceipt:
        """excluirSpc (free), matched by SPC on document + contract + due date."""
        payload, raw = self._call(wire.INSUMO_PATH, wire.remove(request), billed=False)
        return base.RemovalReceipt(
            platform_id=request.platform_id or wire.inclusion_key(request.inclusion),
            removed_at=None,  # SPC does not say when; the caller records its own time
            raw=raw,
            messages=(parse.success_message(payload),),
        )

    def inclusion_status(
        self, platform_id: str, request: base.InclusionRequest
    ) -> base.InclusionStatus:
        raise base.OperationNotSupported(
            code="not_supported",
            user_message="O SPC Brasil não consulta a situação de uma negativação; ela passa a "
            "valer após o prazo do comunicado ao devedor.",
        )

    def inclusion_reasons(self) -> tuple[base.ReasonCode, ...]:
        """listarNaturezaInclusao (free)."""
        payload, _raw = self._call(wire.INSUMO_PATH, wire.list_inclusion_natures(), billed=False)
        return parse.parse_reasons(payload)

    def removal_reasons(self) -> tuple[base.ReasonCode, ...]:
        """listarMotivoExclusao (free)."""
        payload, _raw = self._call(wire.INSUMO_PATH, wire.list_removal_reasons(), billed=False)
        return parse.parse_reasons(payload)

    def debtor_types(self) -> tuple[base.ReasonCode, ...]:
        """listarTipoDevedor (free): comprador, avalista... (SPC-specific, not in the contract)."""
        payload, _raw = self._call(wire.INSUMO_PATH, wire.list_debtor_types(), billed=False)
        return parse.parse_reasons(payload)
