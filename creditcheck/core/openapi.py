"""The OpenAPI schema's error responses: what creditcheck.core.api.exception_handler answers.

drf-spectacular documents only the success of each operation. The schema class below adds the
errors every operation can answer, from what the view is: 401 and 403 everywhere (every endpoint
needs a signed-in user with a permission), 400 where a body or filters are validated (a JSON
body nested too deep included: json_too_deep), 413 where a body may pass the size limit, 404
where a row is looked up by id or a list page may not exist. Errors particular to one operation
(409, 429, 502) are declared on the view with `extend_schema(responses=...)` and these
serializers.
"""

from typing import Any

from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from rest_framework import serializers


class ErrorSerializer(serializers.Serializer[Any]):
    """Any error but a field validation: `{"detail": "...", "code": "not_found"}`.

    Some errors add keys of their own (a refused credit query names the query it stored).
    """

    detail = serializers.CharField()
    code = serializers.CharField()


class ValidationErrorSerializer(serializers.Serializer[Any]):
    """Invalid input: each field's messages under its name, their stable codes under "codes".

    `{"document": ["CPF inválido..."], "code": "invalid", "codes": {"document":
    ["invalid_document"]}}`; errors of the whole body come under "non_field_errors".
    Business refusals of valid input (a document the query service refuses, an invoice that
    cannot be negativada) carry their own code and a "detail" instead.
    """

    code = serializers.CharField()
    codes = serializers.DictField(required=False)
    detail = serializers.CharField(required=False)
    non_field_errors = serializers.ListField(child=serializers.CharField(), required=False)


def error_responses(*codes: int) -> dict[int, type[serializers.Serializer[Any]]]:
    """`extend_schema(responses=...)` entries for errors particular to one operation."""
    return {code: ValidationErrorSerializer if code == 400 else ErrorSerializer for code in codes}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema with the error responses of every operation added."""

    # drf-spectacular has no setting for error responses: this method, which turns the declared
    # responses (extend_schema's included) into the schema's, is where such additions go (as in
    # drf-standardized-errors). Codes a view declares itself are kept as declared.
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses: dict[str, Any] = super()._get_response_bodies(direction)
        for code, serializer in error_responses(*self._error_codes()).items():
            responses.setdefault(
                str(code), self._get_response_for_code(serializer, str(code), direction=direction)
            )
        return responses

    def _error_codes(self) -> list[int]:
        codes = [401, 403]
        has_body = self.method in ("POST", "PUT", "PATCH") and self.get_request_serializer()
        filters = getattr(self.view, "filterset_class", None) or getattr(
            self.view, "filterset_fields", None
        )
        if has_body or (filters and self.method == "GET"):
            codes.append(400)
        if has_body:
            codes.append(413)  # a body over DATA_UPLOAD_MAX_MEMORY_SIZE: payload_too_large
        if "{" in self.path or (self.method == "GET" and self._is_list_view()):
            codes.append(404)  # a row looked up by id, or a list page past the last one
        return codes
