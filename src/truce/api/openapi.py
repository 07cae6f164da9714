"""The OpenAPI document says what errors really look like: every operation
may answer 4XX with an RFC 9457 problem (``application/problem+json``),
including 422, which FastAPI would otherwise describe as its own
``HTTPValidationError`` shape that truce never sends."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

__all__ = ["PROBLEM_SCHEMA", "describe_problems", "observer_report_body"]

_REF = "#/components/schemas/{model}"

PROBLEM_SCHEMA: dict[str, Any] = {
    "title": "Problem",
    "type": "object",
    "description": "RFC 9457 problem details; `errors` names each field and the reason.",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string"},
        "title": {"type": "string"},
        "status": {"type": "integer"},
        "detail": {"type": "string"},
        "errors": {"type": "array", "items": {
            "type": "object", "required": ["field", "reason"],
            "properties": {"field": {"type": "string"}, "reason": {"type": "string"}},
        }},
    },
}


def _problem(description: str) -> dict[str, Any]:
    return {"description": description, "content": {
        "application/problem+json": {"schema": {"$ref": "#/components/schemas/Problem"}}}}


def observer_report_body() -> dict[str, Any]:
    """The request body of ``POST /api/reports``, for its ``openapi_extra``: the
    route reads the body itself (after the token check), so FastAPI would not
    describe it; its models go into the components (``describe_problems``)."""
    return {"requestBody": {"required": True, "content": {"application/json": {
        "schema": {"$ref": _REF.format(model="ObserverReport")}}}}}


def _observer_report_schemas() -> dict[str, Any]:
    from ..service.report_format import ObserverReport

    schema = ObserverReport.model_json_schema(ref_template=_REF)
    defs = schema.pop("$defs", {})
    return {**defs, "ObserverReport": schema}


def describe_problems(app: FastAPI) -> None:
    """Wrap ``app.openapi`` so the document it serves describes problem+json errors."""
    original = app.openapi

    def openapi() -> dict[str, Any]:
        schema = original()
        schemas = schema.setdefault("components", {}).setdefault("schemas", {})
        schemas["Problem"] = PROBLEM_SCHEMA
        for name, model in _observer_report_schemas().items():
            schemas.setdefault(name, model)
        for item in schema.get("paths", {}).values():
            for operation in item.values():
                if not isinstance(operation, dict) or "responses" not in operation:
                    continue
                responses = operation["responses"]
                if "422" in responses:
                    responses["422"] = _problem("Invalid input: the field and the reason")
                responses.setdefault("4XX", _problem("Refused: problem+json with the reason"))
        schemas.pop("HTTPValidationError", None)
        schemas.pop("ValidationError", None)
        return schema

    app.openapi = openapi  # type: ignore[method-assign]
