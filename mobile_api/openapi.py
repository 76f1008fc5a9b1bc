"""The OpenAPI 3.1 document, generated from the declared endpoints' schemas."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, TypeAdapter

from mobile_api.openapi_examples import EXAMPLES
from mobile_api.routing import Endpoint

REF = "#/components/schemas/{model}"
ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "details": {"type": "object"},
            },
        }
    },
}
DESCRIPTION = (
    "Fieldline's HTTP API. Errors always have the shape of the Error schema; "
    "lists take `limit` (default 50, max 200) and `cursor`; creates accept an "
    "`Idempotency-Key` header. Every answer carries `X-Request-ID`; a 5xx body repeats it "
    "in `details.request_id`. The real-time channel is `GET /ws`, described by the AsyncAPI "
    "document at `/api/v1/asyncapi.json`; `/api/v1/docs` is this document, browsable. "
    "The reference for clients, with the socket protocol and error codes, is `docs/api.md` "
    "in the Fieldline repository."
)


class _Schemas:
    def __init__(self) -> None:
        self.components: dict[str, Any] = {"Error": ERROR_SCHEMA}

    def ref(self, annotation: Any) -> dict[str, Any]:
        schema = TypeAdapter(annotation).json_schema(ref_template=REF, mode="serialization")
        self.components.update(schema.pop("$defs", {}))
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            self.components[annotation.__name__] = schema
            return {"$ref": REF.format(model=annotation.__name__)}
        return schema

    def request(self, model: type[BaseModel]) -> dict[str, Any]:
        schema = model.model_json_schema(ref_template=REF, mode="validation")
        self.components.update(schema.pop("$defs", {}))
        self.components[model.__name__] = schema
        return {"$ref": REF.format(model=model.__name__)}


def _parameters(endpoint: Endpoint) -> list[dict[str, Any]]:
    params = []
    for name in _path_names(endpoint.path):
        params.append({"name": name, "in": "path", "required": True, "schema": {"type": "integer"}})
    if endpoint.query is not None:
        schema = endpoint.query.model_json_schema()
        required = set(schema.get("required", []))
        for name, prop in schema.get("properties", {}).items():
            params.append({"name": name, "in": "query", "required": name in required, "schema": prop})
    return params


def _path_names(path: str) -> list[str]:
    import re

    return re.findall(r"\{(\w+)(?::\w+)?\}", path)


def _request_body(endpoint: Endpoint, schemas: _Schemas) -> dict[str, Any] | None:
    if endpoint.raw_body == "multipart":
        content = {"multipart/form-data": {"schema": schemas.request(endpoint.body)}} if endpoint.body else {
            "multipart/form-data": {"schema": {"type": "object"}}
        }
        return {"required": True, "content": content}
    if endpoint.body is None:
        return None
    return {"required": True, "content": {"application/json": {"schema": schemas.request(endpoint.body)}}}


def _responses(endpoint: Endpoint, schemas: _Schemas) -> dict[str, Any]:
    error = {"description": "Error", "content": {"application/json": {"schema": {"$ref": REF.format(model="Error")}}}}
    ok: dict[str, Any] = {"description": "OK"}
    if endpoint.status != 204:
        schema = schemas.ref(endpoint.response) if endpoint.response is not None else {}
        ok["content"] = {endpoint.produces: {"schema": schema}}
    responses = {str(status): ok for status in (endpoint.status, *endpoint.also)}
    codes = {400, 404, 413, 422} | ({401} if endpoint.auth else set()) | set(endpoint.errors)
    if endpoint.idempotent:
        codes.add(409)  # an Idempotency-Key reused for a different request
    for code in sorted(codes):
        responses[str(code)] = error
    return responses


def build_document(endpoints: list[Endpoint]) -> dict[str, Any]:
    schemas = _Schemas()
    paths: dict[str, Any] = {}
    for endpoint in endpoints:
        operation: dict[str, Any] = {
            "operationId": f"{endpoint.handler.__module__.rsplit('.', 1)[-1]}_{endpoint.handler.__name__}",
            "summary": endpoint.summary,
            "tags": [endpoint.tag],
            "parameters": _parameters(endpoint),
            "responses": _responses(endpoint, schemas),
        }
        if endpoint.description:
            operation["description"] = endpoint.description
        if endpoint.idempotent:
            operation["parameters"].append(
                {"name": "Idempotency-Key", "in": "header", "required": False,
                 "schema": {"type": "string", "maxLength": 128}}
            )
        body = _request_body(endpoint, schemas)
        if body:
            example = EXAMPLES.get((endpoint.method, endpoint.openapi_path))
            if example is not None and "application/json" in body["content"]:
                body["content"]["application/json"]["example"] = example
            operation["requestBody"] = body
        if endpoint.auth:
            operation["security"] = [{"bearer": []}]
        paths.setdefault(endpoint.openapi_path, {})[endpoint.method.lower()] = operation
    return {
        "openapi": "3.1.0",
        "info": {"title": "Fieldline", "version": "1", "description": DESCRIPTION},
        "paths": paths,
        "components": {
            "schemas": schemas.components,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    }
