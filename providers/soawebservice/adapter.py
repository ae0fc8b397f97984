"""SOA WebServices (soawebservices.com.br), a Serasa distributor, through its JSON API v2.

Wire format, per docs/PROVIDERS.md sections 2.3 and 7.B:

CONFIRMED by public material
- Hosts below which the paths hang (homologacao./producao./services.soawebservices.com.br): the
  adapter takes the root as `config.base_url`, so production, homologation and the sandbox differ
  only there.
- `POST /api/v2/Serasa/Consultas/CredNet` with `{"credenciais":{"email","senha"},"documento",
  "uf","adicionais":[1]}`; the answer's camelCase shape `sinteseCadastral.pessoaFisica`,
  `dadosNegativos{resumo, pendenciasFinanceiras, restricoesFinanceiras}` with `detalhes[]` and
  `resumo{totalOcorrencias, valorTotal}`, `informacoesAdicionais.score{pontuacao, modelo, faixa,
  probabilidadeInadimplencia}`, `outrasInformacoes.registroConsultas.detalhes[]`.
- `POST /api/v2/Serasa/Negativacoes/Excluir` with `uniqueID, codigoBaixa, baixaDescricao`,
  answering the echoed record plus `dataHoraExclusao`; `Negativacoes/Inserir` and
  `Administracao/Saldo` exist.
- Credentials in every body; the `transacao{status, codigoStatus, codigoStatusDescricao}`
  envelope; codes G000M000 (credentials), G000M001 (success), G000M003 (document), P009M001/
  P009M002 (birth date); homologation answers fixed dummy values; CredNet costs about R$ 16.

ASSUMED (no public spec; the sandbox implements the same choices)
- The Concentre path and its `adicionais` [1,2,3,4] (taken from the .ashx test-drive request);
  the static product catalogue (SOA has no product-listing call).
- The v2 paths of Consulta, Lista, CodigosBaixa, CodigosRestricoes (SOAP operation names) and
  every request body of the negativação calls other than Excluir: camelCase renderings of the
  SOAP `InclusaoNegativacao` (devedores[{documento, tipoDevedor, nome, endereco{cep, logradouro,
  numero, complemento, bairro, cidade, uf}}], restricao{codigoRestricao, contrato, nossoNumero,
  dataVencimento, valor}); answers `uniqueID`, `situacao` (Pendente/Ativa/Baixada/Erro),
  `negativacoes[]`, `codigos[{codigo, descricao}]`, `saldo`.
- Blocks protestos, acoesJudiciais, chequesSemFundo, participacoesFalencias, pendenciasInternas,
  `qsa{socios, administradores}` and `protocolo` in the consult answer; their details' fields
  in camelCase after the Concentre SOAP generation: a protest's `cartorio` and `credor`, a
  lawsuit's `autor`, `natureza`, `numeroProcesso`, `vara`, a cheque's `banco`, `nomeBanco`,
  `agencia`, `numeroCheque`, `alinea`, `quantidade` and `valor` (store cheques only); a
  pending item's `modalidade` spelt as Serasa abbreviates it ("OUTRAS OPER").
- `sinteseCadastral.pessoaJuridica` carrying the PessoaJuridicaNFe fields (confirmed in the
  .ashx sample) in camelCase: nomeFantasia, dataSituacaoRFB, codigoNaturezaJuridica(+Descricao),
  codigoAtividadeEconomica(+Descricao), capital.
- What an answer carries beyond the fields read is kept as the report's other_information,
  with its path (parse.parse_report).
- Status codes G000M005 (saldo insuficiente), G000M099 (erro interno), N000M001 (negativação
  duplicada, carrying the existing uniqueID), N000M002 (negativação não encontrada), N000M003
  (dados da negativação inválidos); HTTP is always 200, so any other status is a transport failure.
- Billing: consults and Inserir are charged, every other call is free, a failed transaction
  (status false) is not charged; the homologation environment charges nothing.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, ClassVar

from providers import base
from providers.adapter import BaseAdapter
from providers.soawebservice import codes, parse, wire


class Adapter(BaseAdapter):
    """SOAWebService adapter. Every method makes at most one call to the platform.

    consult and include are billed outside homologation (never retried after reaching the
    platform); all other calls are free.
    """

    key: ClassVar[str] = "soawebservice"

    def __init__(self, config: base.ProviderConfig) -> None:
        super().__init__(config)
        # Homologation accounts answer fixed dummy data and are never charged.
        self.charged = base.Billed.NO if config.environment == "homologation" else base.Billed.YES

    # Transport --------------------------------------------------------------------------------
    def _auth(self) -> dict[str, Any]:
        return wire.credentials(self.config.credential("email"), self.config.credential("senha"))

    def _post(
        self, path: str, body: Mapping[str, Any], *, billed: bool
    ) -> tuple[dict[str, Any], str]:
        """POST a JSON body; return the decoded answer and its text. Raises on transport errors.

        A billed call whose outcome we cannot read (5xx, garbage) may have been charged:
        billed=UNKNOWN. The `transacao` envelope is left to the caller.
        """
        unsure = base.Billed.UNKNOWN if billed else base.Billed.NO
        response = self.http.request(
            "POST",
            self.base_url + path,
            billed=billed,
            content=json.dumps(body, ensure_ascii=False).encode("utf-8"),
            headers={"Content-Type": "application/json", "Accept": "application/json"},
        )
        if response.status >= 500:
            raise base.ProviderUnavailable(
                f"HTTP {response.status}", code=f"http_{response.status}", billed=unsure
            )
        if response.status != 200:
            raise base.ProviderProtocolError(
                f"HTTP {response.status} inesperado", code=f"http_{response.status}"
            )
        return parse.decode(response.content, billed=unsure), response.text

    def _call(
        self, path: str, body: Mapping[str, Any], *, billed: bool = False
    ) -> tuple[dict[str, Any], str]:
        """POST and raise the mapped error when the platform reports a failed transaction."""
        payload, raw = self._post(path, body, billed=billed)
        error = codes.transaction_error(
            payload, unsure=base.Billed.UNKNOWN if billed else base.Billed.NO
        )
        if error is not None:
            raise error
        return payload, raw

    # Consult ----------------------------------------------------------------------------------
    def consult(self, request: base.ConsultRequest) -> base.CreditReport:
        """Run a CredNet (default) or Concentre consult. Billed outside homologation.

        Of the subject, the v2 body carries the UF (`uf`); it has no field for the CEP, and the
        birth date (`DataNascimento`) is known only in the older .ashx generation, not in v2
        (PROVIDERS.md 2.2, 2.3), so those two are not sent.
        """
        code = (request.product or wire.DEFAULT_PRODUCT).strip().upper()
        product = wire.CONSULT_PRODUCTS.get(code)
        if product is None or request.person_type not in product.product.person_types:
            raise base.ProductNotAllowed(
                f"produto {code!r} não oferecido pela SOAWebService", code="product"
            )
        body = wire.consult_body(
            self._auth(), document=request.document, state=request.state, extras=product.extras
        )
        payload, raw = self._call(product.path, body, billed=True)
        try:
            return parse.parse_report(
                payload,
                platform=self.key,
                product=code,
                document=request.document,
                person_type=request.person_type,
                billed=self.charged,
                raw=raw,
            )
        except base.ProviderProtocolError as exc:
            raise base.unreadable_answer(exc, self.charged) from exc

    def products(self) -> tuple[base.Product, ...]:
        """The static catalogue (SOA has no listing call). No platform call."""
        return tuple(item.product for item in wire.CONSULT_PRODUCTS.values())

    # Negativações -----------------------------------------------------------------------------
    def include(self, request: base.InclusionRequest) -> base.InclusionReceipt:
        """Register a debt (Inserir). Billed outside homologation.

        A duplicate (same debtor, contract and due date still registered) is not an error: the
        platform returns the existing record's uniqueID and we hand back a receipt with
        duplicate=True, not billed.
        """
        payload, raw = self._post(
            wire.INCLUDE, wire.inclusion_body(self._auth(), request), billed=True
        )
        error = codes.transaction_error(payload, unsure=base.Billed.UNKNOWN)
        if isinstance(error, base.DuplicateRecord):
            try:
                return parse.parse_inclusion(
                    payload, billed=base.Billed.NO, raw=raw, duplicate=True
                )
            except base.ProviderProtocolError:
                raise error from None  # no id to recover the record by
        if error is not None:
            raise error
        return parse.parse_inclusion(payload, billed=self.charged, raw=raw)

    def remove(self, request: base.RemovalRequest) -> base.RemovalReceipt:
        """Remove (baixa) a registered debt by its uniqueID (Excluir). Free."""
        payload, raw = self._call(wire.REMOVE, wire.removal_body(self._auth(), request))
        return parse.parse_removal(payload, raw=raw)

    def inclusion_status(
        self, platform_id: str, request: base.InclusionRequest
    ) -> base.InclusionStatus:
        """Where a registered debt stands (Consulta by uniqueID). Free."""
        payload, raw = self._call(wire.STATUS, {**self._auth(), "uniqueID": platform_id})
        return parse.parse_status(payload, raw=raw)

    def list_inclusions(self, state: base.InclusionState) -> tuple[base.InclusionStatus, ...]:
        """The account's records in one state (Lista), beyond the common contract. Free."""
        body = {**self._auth(), "condicao": wire.LIST_CONDITIONS[state]}
        payload, _ = self._call(wire.LIST, body)
        return parse.parse_list(payload)

    def inclusion_reasons(self) -> tuple[base.ReasonCode, ...]:
        """Restriction codes accepted by Inserir (CodigosRestricoes). Free."""
        payload, _ = self._call(wire.RESTRICTION_CODES, self._auth())
        return parse.parse_reasons(payload)

    def removal_reasons(self) -> tuple[base.ReasonCode, ...]:
        """Removal codes accepted by Excluir (CodigosBaixa). Free."""
        payload, _ = self._call(wire.REMOVAL_CODES, self._auth())
        return parse.parse_reasons(payload)

    # Account ----------------------------------------------------------------------------------
    def check_credentials(self) -> None:
        """Ask for the balance (free): raises AuthenticationFailed on bad e-mail/senha."""
        self.balance()

    def balance(self) -> base.Balance:
        """Remaining prepaid credit in R$ (Administracao/Saldo). Free."""
        payload, _ = self._call(wire.BALANCE, self._auth())
        return parse.parse_balance(payload)
