"""Connect S.A. "Mercúrio" (Serasa distributor): consults by form POST, PEFIN negativação.

CONFIRMED by public material (docs/PROVIDERS.md section 3: two public clients, HubSoft wiki):
- `POST <host>/mercurio/ws_consulta/`, `application/x-www-form-urlencoded`, fields login,
  password, idclient, apikey, consulta (product code such as CREDNET_LIGHT), tipodocumento F/J,
  documento, cep, telefone, uf, estatica (S = static/simulated consult, N = real), tiporesposta
  (J = JSON), agregados;
- answer `status{mensagem "Sucesso" | error text, descricaoCodigoResposta "Nada Consta" |
  "Constam Restrições", protocolo}`, `entrada{nomeConsultado, documentoConsultado}`,
  `resultado.quadroResumoConsta{quantidadeTotalOcorrencias, registros{CCFBACEN, PEFIND, PEFINV,
  PENDINTERNAS, PROTESTO: {alerta, dataMaisAntigo, dataMaisRecente, nomeMaisRecente,
  nomeRegistro, periodo, quantidade, valorTotal "R$ 1.234,56"}}}`, all values strings;
- the platform's own report is HTML; negativação uses a separate credential pair
  (login_pefin/senha_pefin); products are synchronised from the API; inclusion and removal
  reasons ("Motivo Inclusão", "Motivo Baixa") are lookup lists.

ASSUMED (no public specification; see PROVIDERS.md sections 7.C and 8):
- no homologation host: `estatica=S` is the test mode, used when the environment is
  "homologation" (free, canned answer);
- errors come with HTTP 200 and an extra `status.codigo` (wire.Code); texts such as "Usuário ou
  senha inválidos", "Documento inválido", "Consulta não liberada para o cliente", "Erro interno,
  tente novamente"; they are mapped by code, then by text;
- registros keys REFIN, SPC, ACAO, FALENCIA; the detail lists under `resultado` (pefin, refin,
  spc, protestos, chequesSemFundo, acoesJudiciais, falencias, pendenciasInternas with credor,
  valor, dataOcorrencia, contrato, cidade, uf, natureza; a protest's cartorio, a lawsuit's vara,
  a cheque's banco, nomeBanco, agencia, numeroCheque and alinea, valor "" when none),
  `identificacao` (a company's nomeFantasia, dataSituacao, naturezaJuridica and cnaePrincipal
  as "code - description", capitalSocial), `score{pontuacao, faixa, probabilidade, modelo}`,
  `consultasAnteriores`, `socios`, `historicoPagamentos`; whatever else an answer carries is
  kept as the report's other_information, with its path;
- products CREDNET_LIGHT (default), CREDNET_TOP (score, partners, payment history) and RELATO
  (companies only), listed by `POST /mercurio/ws_produtos/` (free);
- the HTML report: `tiporesposta=H` with the `protocolo` of an earlier consult returns it as
  text/html without billing again;
- the whole PEFIN API: `POST /mercurio/ws_pefin/` (form: login_pefin, senha_pefin, idclient,
  apikey, acao = INCLUIR | EXCLUIR | CONSULTAR | MOTIVOS_INCLUSAO | MOTIVOS_BAIXA), JSON answers
  with the same `status` block and a `negativacao{idNegativacao, situacao PENDENTE | ATIVA |
  BAIXADA, dataBaixa}` block; a duplicate answers code 402 with the existing record;
- billing: real consults and INCLUIR are charged, everything else is free; there is no balance
  API.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any, ClassVar

from providers import base
from providers.adapter import BaseAdapter
from providers.connectsa import parse, wire
from providers.connectsa.parse import Category
from providers.connectsa.wire import PefinAction
from providers.http import HttpResponse

HTML_UNAVAILABLE = (
    "O relatório HTML da ConnectSA não pôde ser obtido; a consulta foi concluída normalmente."
)


class Adapter(BaseAdapter):
    """ConnectSA adapter. Real consults and inclusions are billed by the platform."""

    key: ClassVar[str] = "connectsa"

    def __init__(self, config: base.ProviderConfig) -> None:
        super().__init__(config)
        # Connect has no homologation host; its static consult is the free test mode.
        self.static = config.environment == "homologation"

    # Transport ------------------------------------------------------------------------------
    def _post(self, path: str, form: Mapping[str, str], *, billed: bool) -> HttpResponse:
        """One POST; a 5xx or unexpected status raises, with billed UNKNOWN on billed calls."""
        response = self.http.request("POST", self.base_url + path, billed=billed, data=form)
        maybe = base.Billed.UNKNOWN if billed else base.Billed.NO
        if response.status >= 500:
            raise base.ProviderUnavailable(
                f"HTTP {response.status}", code=f"http_{response.status}", billed=maybe
            )
        if response.status != 200:
            raise base.ProviderProtocolError(
                f"HTTP {response.status} inesperado", code=f"http_{response.status}", billed=maybe
            )
        return response

    def _call(
        self, path: str, form: Mapping[str, str], *, billed: bool
    ) -> tuple[Mapping[str, Any], parse.Status, str]:
        response = self._post(path, form, billed=billed)
        payload = parse.load(
            response.content, billed=base.Billed.UNKNOWN if billed else base.Billed.NO
        )
        return payload, parse.read_status(payload), response.text

    def _pefin(
        self, action: PefinAction, fields: Mapping[str, str] | None = None, *, billed: bool = False
    ) -> tuple[Mapping[str, Any], parse.Status, str]:
        form = wire.pefin_form(self.config.credentials, action, fields)
        return self._call(wire.PEFIN_PATH, form, billed=billed)

    # Consults -------------------------------------------------------------------------------
    def consult(self, request: base.ConsultRequest) -> base.CreditReport:
        """Consult a CPF/CNPJ. Billed unless in homologation (static mode).

        When the person has restrictions, a second, free request fetches the platform's HTML
        report for the same protocol; if that fails the report comes without it (with a note),
        since the billed consult itself succeeded.

        Of the subject, the form carries the CEP (`cep`) and the UF (`uf`); it has no field for
        the birth date (PROVIDERS.md 3), so that is not sent.
        """
        product = request.product or wire.DEFAULT_PRODUCT
        form = wire.consult_form(
            self.config.credentials,
            product=product,
            person_type=request.person_type,
            document=request.document,
            static=self.static,
            cep=request.cep,
            state=request.state,
        )
        payload, status, raw = self._call(wire.CONSULT_PATH, form, billed=not self.static)
        if not status.ok:
            raise parse.error_for(status)
        billed = base.Billed.NO if self.static else base.Billed.YES
        try:
            report = parse.parse_report(
                payload, product=product, request=request, billed=billed, raw=raw
            )
        except base.ProviderProtocolError as exc:
            raise base.unreadable_answer(exc, billed) from exc
        if not report.has_restrictions:
            return report
        document = self._html_report({**form, "tiporesposta": wire.RESPONSE_HTML}, report.protocol)
        if document is None:
            return dataclasses.replace(report, messages=(*report.messages, HTML_UNAVAILABLE))
        return dataclasses.replace(report, document=document)

    def _html_report(self, form: Mapping[str, str], protocol: str) -> base.ProviderDocument | None:
        """The HTML report of an earlier consult (free); None when the platform cannot give it."""
        if not protocol:
            return None
        try:
            response = self._post(wire.CONSULT_PATH, {**form, "protocolo": protocol}, billed=False)
        except base.ProviderError:
            return None
        body = response.content.strip()
        if not body or body.startswith(b"{"):  # a JSON status instead of the page: an error
            return None
        return base.ProviderDocument(content=response.content, media_type="text/html")

    def products(self) -> tuple[base.Product, ...]:
        """The products enabled for the client ("Produtos > Sincronizar"). Free."""
        form = wire.products_form(self.config.credentials)
        payload, status, _ = self._call(wire.PRODUCTS_PATH, form, billed=False)
        if not status.ok:
            raise parse.error_for(status)
        return parse.parse_products(payload)

    def check_credentials(self) -> None:
        """ "Testar": a free static consult, then (when configured) a free PEFIN lookup.

        Raises AuthenticationFailed naming the pair (consult or PEFIN) that was refused.
        """
        form = wire.consult_form(
            self.config.credentials,
            product=wire.DEFAULT_PRODUCT,
            person_type=base.PersonType.PERSON,
            document=wire.CHECK_DOCUMENT,
            static=True,
        )
        _, status, _ = self._call(wire.CONSULT_PATH, form, billed=False)
        if not status.ok:
            raise parse.error_for(status)
        if self.config.credential("login_pefin"):
            self.inclusion_reasons()

    def balance(self) -> base.Balance:
        raise base.OperationNotSupported(
            "ConnectSA não publica API de saldo", code="no_balance_api"
        )

    # Negativação (PEFIN) ----------------------------------------------------------------------
    def include(self, request: base.InclusionRequest) -> base.InclusionReceipt:
        """Register a debt (billed). A duplicate returns the existing record, not billed."""
        payload, status, raw = self._pefin(
            PefinAction.INCLUDE, wire.inclusion_fields(request), billed=True
        )
        if status.ok:
            record = parse.read_negativacao(payload)
            return base.InclusionReceipt(record.id, record.state, base.Billed.YES, raw)
        if parse.categorize(status) is Category.DUPLICATE:
            existing = parse.find_negativacao(payload)
            if existing is None:
                raise base.DuplicateRecord(status.message, code=status.code)
            return base.InclusionReceipt(
                existing.id,
                existing.state,
                base.Billed.NO,
                raw,
                duplicate=True,
                messages=(status.message,),
            )
        raise parse.error_for(status, pefin=True)

    def remove(self, request: base.RemovalRequest) -> base.RemovalReceipt:
        """Remove (baixa) a registered debt. Free; removing twice reports the first removal."""
        payload, status, raw = self._pefin(PefinAction.REMOVE, wire.removal_fields(request))
        if status.ok or parse.categorize(status) is Category.ALREADY_REMOVED:
            record = parse.read_negativacao(payload)
            messages = () if status.ok else (status.message,)
            return base.RemovalReceipt(record.id, record.removed_at, raw, messages)
        raise parse.error_for(status, pefin=True)

    def inclusion_status(
        self, platform_id: str, request: base.InclusionRequest
    ) -> base.InclusionStatus:
        """Where a registered debt stands (pending notice, active, removed). Free."""
        payload, status, raw = self._pefin(PefinAction.STATUS, {"idnegativacao": platform_id})
        if not status.ok:
            raise parse.error_for(status, pefin=True)
        record = parse.read_negativacao(payload)
        return base.InclusionStatus(record.id, record.state, raw)

    def inclusion_reasons(self) -> tuple[base.ReasonCode, ...]:
        """PEFIN "Motivo Inclusão" list (natureza da dívida). Free."""
        payload, status, _ = self._pefin(PefinAction.INCLUSION_REASONS)
        if not status.ok:
            raise parse.error_for(status, pefin=True)
        return parse.parse_reasons(payload)

    def removal_reasons(self) -> tuple[base.ReasonCode, ...]:
        """PEFIN "Motivo Baixa" list. Free."""
        payload, status, _ = self._pefin(PefinAction.REMOVAL_REASONS)
        if not status.ok:
            raise parse.error_for(status, pefin=True)
        return parse.parse_reasons(payload)
