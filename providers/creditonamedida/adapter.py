"""Crédito na Medida adapter: OAuth2 token, products, consult + PDF report, negativações.

UNVERIFIED UNTIL A REAL SPEC IS OBTAINED. Crédito na Medida publishes no API documentation; the
whole wire format below is our assumption (docs/PROVIDERS.md sections 4 and 7.D).

CONFIRMED by public material (IXC and HubSoft wikis):
- credentials are a Client_ID + Client_Secret pair per branch;
- there is NO homologation environment: every consult runs in production and is billed, so
  `config.environment` changes nothing here ("homologation" simply does not exist at this
  platform; check_credentials works the same in every environment);
- integrations do "Testar" (credential check), "Produtos > Sincronizar" (product catalogue from
  the API), consult by product + CPF/CNPJ, and negativação inclusion/removal; the consult result
  is the platform's formatted PDF; the bureau sends a notice letter (FAC) after an inclusion.

ASSUMED (no public source):
- OAuth2 client credentials: `POST /oauth/token` form `grant_type=client_credentials`, client
  authenticated with HTTP Basic -> {access_token, token_type: "Bearer", expires_in}; errors
  {error, error_description}, bad client -> 401 invalid_client.
- `GET /api/v1/produtos` -> [{codigo, nome, tipos_pessoa, preco}].
- `POST /api/v1/consultas` {produto, documento, tipo_pessoa} -> JSON {id, protocolo, documento,
  nome, situacao_receita, score{...}, restricoes[...], consultas_anteriores[...], socios[...],
  historico_pagamentos{...}, possui_restricoes, pdf_url}, a restriction's cartorio, vara and
  cheque{banco{codigo, nome}, agencia, numero, alinea} (tipo CCF for Bacen's records, CHEQUE for
  a store's), a company's nome_fantasia, data_situacao, natureza_juridica and cnae_principal
  {codigo, descricao}, capital_social; whatever else comes is kept as the report's
  other_information, with its path; when possui_restricoes the PDF comes
  from `GET /api/v1/consultas/{id}/pdf` (application/pdf, free). PROVIDERS.md says the consult
  answers with a PDF; HubSoft and IXC nevertheless show structured fields (score, restrictions)
  next to that PDF, so we assume structured JSON plus a separate PDF download rather than
  scraping a PDF. The PDF is attached to the report as ProviderDocument.
- negativações: `POST /api/v1/negativacoes` -> 201 {id, situacao: PENDENTE}; duplicate -> 409
  with the existing id; `GET|DELETE /api/v1/negativacoes/{id}` (DELETE body {motivo_baixa}) with
  situacao PENDENTE|ATIVA|BAIXADA; `GET /api/v1/motivos-inclusao`, `/api/v1/motivos-baixa`;
  `GET /api/v1/saldo` -> {saldo}.
- API errors {codigo, mensagem}: 422 DOCUMENTO_INVALIDO, 422 TIPO_PESSOA_INCOMPATIVEL,
  403 PRODUTO_NAO_CONTRATADO, 402 SALDO_INSUFICIENTE, 404 not found, 409 duplicate, 5xx.
- billing: consults and inclusions are charged; a 4xx/5xx answer is not (a read timeout on a
  billed call stays billed=UNKNOWN).

Side effects: consult() and include() are billed by the platform; every other call is free.
A billed call is never re-sent automatically: before it the token is renewed if it is near
expiry, and a 401 on it is reported (AuthenticationFailed, billed=NO) instead of retried. A 401 on
a free call with a cached token renews the token once and repeats the call.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any, ClassVar

from providers import base
from providers.adapter import BaseAdapter
from providers.creditonamedida import parse, wire
from providers.creditonamedida.token import TokenCache
from providers.http import HttpResponse

PDF_MEDIA_TYPE = "application/pdf"


class Adapter(BaseAdapter):
    key: ClassVar[str] = "creditonamedida"

    def __init__(self, config: base.ProviderConfig) -> None:
        super().__init__(config)
        self.tokens = TokenCache()

    # ----------------------------------------------------------------------------------------
    # Operations

    def consult(self, request: base.ConsultRequest) -> base.CreditReport:
        """Billed consult; downloads the platform's PDF (free) when there are restrictions.

        Of the subject, only the document is sent: the platform's request fields are not public
        (PROVIDERS.md 4, 7.D), so no birth date, UF or CEP field is invented.
        """
        product = request.product or wire.DEFAULT_PRODUCT
        response = self._api(
            "POST", wire.CONSULTS_PATH, billed=True, json=wire.consult_body(request, product)
        )
        if response.status not in (200, 201):
            raise parse.error_for_response(response.status, response.content)
        try:
            payload = response.json()
            report = parse.parse_consult(
                payload,
                raw=response.text,
                product=product,
                document=request.document,
                person_type=request.person_type,
                billed=base.Billed.YES,
            )
            consult_id, has_pdf = parse.consult_pdf_wanted(payload)
        except base.ProviderProtocolError as exc:
            # The platform answered 2xx, so it charged even though we cannot read the answer.
            raise base.unreadable_answer(exc, base.Billed.YES) from exc
        if has_pdf or report.has_restrictions:
            report = self._attach_pdf(report, consult_id)
        return report

    def include(self, request: base.InclusionRequest) -> base.InclusionReceipt:
        """Billed registration of a debt; a duplicate is returned as duplicate=True, not billed."""
        response = self._api(
            "POST", wire.INCLUSIONS_PATH, billed=True, json=wire.inclusion_body(request)
        )
        duplicate = response.status == 409  # the existing record comes back, not billed
        if not duplicate and response.status not in (200, 201):
            raise parse.error_for_response(response.status, response.content)
        try:
            platform_id, state, messages = parse.parse_inclusion(response.json())
        except base.ProviderProtocolError as exc:
            if duplicate:
                raise base.DuplicateRecord(exc.message, code="NEGATIVACAO_DUPLICADA") from exc
            raise base.unreadable_answer(exc, base.Billed.YES) from exc
        return base.InclusionReceipt(
            platform_id=platform_id,
            state=state,
            billed=base.Billed.NO if duplicate else base.Billed.YES,
            raw=response.text,
            duplicate=duplicate,
            messages=messages,
        )

    def remove(self, request: base.RemovalRequest) -> base.RemovalReceipt:
        """Free removal (baixa) by the platform's id; removing twice answers the same receipt.

        The platform takes no removal date (assumed): it records the moment of the call.
        """
        response = self._api(
            "DELETE",
            wire.inclusion_path(request.platform_id),
            billed=False,
            json=wire.removal_body(request),
        )
        payload = self._ok_json(response)
        return parse.parse_removal(payload, raw=response.text)

    def inclusion_status(
        self, platform_id: str, request: base.InclusionRequest
    ) -> base.InclusionStatus:
        """Free status query by the platform's id (the inclusion data is not needed here)."""
        response = self._api("GET", wire.inclusion_path(platform_id), billed=False)
        return parse.parse_status(self._ok_json(response), raw=response.text)

    def products(self) -> tuple[base.Product, ...]:
        """The products contracted by this client (free)."""
        return parse.parse_products(self._get_json(wire.PRODUCTS_PATH))

    def inclusion_reasons(self) -> tuple[base.ReasonCode, ...]:
        return parse.parse_reasons(self._get_json(wire.INCLUSION_REASONS_PATH))

    def removal_reasons(self) -> tuple[base.ReasonCode, ...]:
        return parse.parse_reasons(self._get_json(wire.REMOVAL_REASONS_PATH))

    def check_credentials(self) -> None:
        """Request a fresh token and read the balance; both free. Raises on any failure."""
        self.tokens.clear()
        self.balance()

    def balance(self) -> base.Balance:
        """Remaining prepaid credit in R$ (free)."""
        return parse.parse_balance(self._get_json(wire.BALANCE_PATH))

    # ----------------------------------------------------------------------------------------
    # Transport

    def _url(self, path: str) -> str:
        return self.base_url + path

    def _fetch_token(self, now: float) -> str:
        client_id = self.config.credential("client_id")
        client_secret = self.config.credential("client_secret")
        if not client_id or not client_secret:
            raise base.AuthenticationFailed(
                "client_id/client_secret não configurados", code="missing_credentials"
            )
        response = self.http.request(
            "POST",
            self._url(wire.TOKEN_PATH),
            billed=False,
            data={"grant_type": "client_credentials"},
            auth=(client_id, client_secret),
            headers={"Accept": "application/json"},
        )
        if response.status == 400:
            # OAuth2 servers commonly answer a refused client with 400 invalid_client too.
            error = parse.error_for_response(401, response.content)
            if error.code == "invalid_client":
                raise error
        if response.status != 200:
            raise parse.error_for_response(response.status, response.content)
        token, expires_in = parse.parse_token(response.json())
        self.tokens.store(token, expires_in, now)
        return token

    def _bearer(self) -> tuple[str, bool]:
        """(token, whether it came from the cache); renews it when near expiry."""
        now = time.monotonic()
        cached = self.tokens.get(now)
        if cached is not None:
            return cached, True
        return self._fetch_token(now), False

    def _api(self, method: str, path: str, *, billed: bool, json: Any = None) -> HttpResponse:
        token, cached = self._bearer()
        response = self._send(method, path, token, billed=billed, json=json)
        if response.status == 401 and cached and not billed:
            # The platform dropped our token early (revocation, restart); free calls may repeat.
            self.tokens.clear()
            token, _ = self._bearer()
            response = self._send(method, path, token, billed=billed, json=json)
        if response.status == 401:
            self.tokens.clear()
            raise parse.error_for_response(401, response.content)
        return response

    def _send(self, method: str, path: str, token: str, *, billed: bool, json: Any) -> HttpResponse:
        return self.http.request(
            method,
            self._url(path),
            billed=billed,
            json=json,
            headers={"Authorization": f"Bearer {token}", "Accept": "application/json"},
        )

    @staticmethod
    def _ok_json(response: HttpResponse) -> Any:
        if response.status != 200:
            raise parse.error_for_response(response.status, response.content)
        return response.json()

    def _get_json(self, path: str) -> Any:
        return self._ok_json(self._api("GET", path, billed=False))

    def _attach_pdf(self, report: base.CreditReport, consult_id: str) -> base.CreditReport:
        """The report with the platform's PDF, or with a message when it could not be fetched.

        The consult is already paid for: a failed download must not lose it (or invite a second,
        billed consult), so it becomes a message rather than an error.
        """
        problem = "consulta sem id"
        if consult_id:
            try:
                response = self._api("GET", wire.consult_pdf_path(consult_id), billed=False)
            except base.ProviderError as exc:
                problem = str(exc)
            else:
                if (
                    response.status == 200
                    and response.media_type == PDF_MEDIA_TYPE
                    and response.content.startswith(b"%PDF-")
                ):
                    document = base.ProviderDocument(
                        content=response.content, media_type=PDF_MEDIA_TYPE
                    )
                    return dataclasses.replace(report, document=document)
                problem = f"HTTP {response.status}, {response.media_type or 'sem tipo'}"
        message = f"Não foi possível obter o PDF da Crédito na Medida ({problem})."
        return dataclasses.replace(report, messages=(*report.messages, message))
