"""Client of IXCProvedor's webservice API (framework-free, like the platform adapters).

Confirmed by public material (../shared/docs/ERP-AND-PAYMENTS.md §1, sources S1-S4): the base
URL is the ISP's own host + `/webservice/v1/<table>`; HTTP Basic of the token
`<user id>:<secret>`; listing is a POST with header `ixcsoft: listar` and a JSON body of
strings (`qtype`/`query`/`oper`, `page` 1-based, `rp`, `sortname`, `sortorder`, `grid_param`
as a string-encoded JSON array of `{"TB", "OP", "P"}`); the answer's `page`/`total` are often
strings and `registros` is absent on zero matches; business errors come back HTTP 200 as
`{"type": "error", "message"}` and some failures as HTML.
Assumed: stopping when a page is shorter than `rp` or `total` is reached (no documented
maximum `rp`; PAGE_SIZE below is what public clients use); 401 for a bad token.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from providers.base import AuthenticationFailed, ProviderProtocolError
from providers.http import HttpClient

PAGE_SIZE = 500


class IxcError(ProviderProtocolError):
    """IXC answered with an error message (HTTP 200 `type: error`, or an HTML page)."""


class IxcClient:
    def __init__(self, base_url: str, token: str, http: HttpClient | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        user, _, secret = token.partition(":")
        self.auth = (user, secret)
        self.http = http or HttpClient()

    def list_page(
        self, table: str, *, filters: list[tuple[str, str, str]], page: int, rows: int
    ) -> tuple[int, list[dict[str, str]]]:
        """One page of `table` with the ANDed `filters` [(field, oper, value)], by id."""
        body: dict[str, str] = {
            "qtype": f"{table}.id", "query": "0", "oper": ">", "page": str(page),
            "rp": str(rows), "sortname": f"{table}.id", "sortorder": "asc",
        }  # fmt: skip
        if filters:
            grid = [
                {"TB": f"{table}.{name}", "OP": oper, "P": value} for name, oper, value in filters
            ]
            body["grid_param"] = json.dumps(grid)
        response = self.http.request(
            "POST",
            f"{self.base_url}/webservice/v1/{table}",
            billed=False,
            json=body,
            headers={"ixcsoft": "listar"},
            auth=self.auth,
        )
        if response.status == 401:
            raise AuthenticationFailed("IXC recusou o token", code="auth")
        try:
            payload: Any = json.loads(response.content)
        except ValueError:
            raise IxcError("o IXC respondeu uma página de erro", code="ixc_html") from None
        if not isinstance(payload, dict) or response.status >= 400:
            raise IxcError(f"resposta inesperada do IXC (HTTP {response.status})", code="ixc")
        if payload.get("type") == "error":
            raise IxcError(
                str(payload.get("message", "")).replace("<br />", " ").strip(), code="ixc"
            )
        records = payload.get("registros") or []
        return int(payload.get("total") or 0), [dict(record) for record in records]

    def list_all(
        self, table: str, *, filters: list[tuple[str, str, str]], rows: int = PAGE_SIZE
    ) -> Iterator[dict[str, str]]:
        page, fetched = 1, 0
        while True:
            total, records = self.list_page(table, filters=filters, page=page, rows=rows)
            yield from records
            fetched += len(records)
            if len(records) < rows or fetched >= total:
                return
            page += 1

    def receive_payment(self, receivable_id: str, day: str, amount: str) -> None:
        """fn_areceber_recebimentos_baixas_novo: register a payment (day DD/MM/YYYY)."""
        response = self.http.request(
            "POST",
            f"{self.base_url}/webservice/v1/fn_areceber_recebimentos_baixas_novo",
            billed=False,
            json={"id_receber": receivable_id, "data": day, "valor_total_recebido": amount},
            auth=self.auth,
        )
        payload = json.loads(response.content)
        if payload.get("type") != "success":
            raise IxcError(str(payload.get("message", "")), code="ixc")
