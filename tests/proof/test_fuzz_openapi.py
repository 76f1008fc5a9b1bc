"""Property-based fuzzing of every operation in the served OpenAPI document.

Schemathesis generates valid (positive) and invalid (negative) requests from
the document itself, so each route that lands is fuzzed without a line here.
Each is sent to a real server process as an admin, a manager and a rep; every
answer must be free of 5xx, in the one error shape when it is an error, and
match the status codes, media types and schemas the document declares.

CI runs a few examples per operation (derandomized, so the same ones each
run); `FIELDLINE_FUZZ_EXAMPLES=200` runs a long search by hand.
"""

from __future__ import annotations

import asyncio
import os
import re
import zlib
from dataclasses import dataclass, field
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.proof.conftest import add_far_users
from tests.support.live import live_client

EXAMPLES = int(os.environ.get("FIELDLINE_FUZZ_EXAMPLES", "3"))
# The suite's 300 s limit fits the CI run; a long search by hand gets time in
# proportion (a minute per example is ample on a busy machine).
TIMEOUT_S = max(300, 60 * EXAMPLES)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Requests that end the caller's own session would blind the rest of the run.
SKIP = {("POST", "/api/v1/auth/logout")}
MAX_FAILURES_SHOWN = 40


@dataclass
class Findings:
    failures: dict[tuple[str, str, str], str] = field(default_factory=dict)
    calls: int = 0
    server_errors: int = 0  # answers with a 5xx status

    def add(self, role: str, label: str, mode: str, text: str) -> None:
        self.failures.setdefault((label, role, mode), text[:1500])


def error_shape_problem(response: Any) -> str | None:
    """None when an error answer has the contract's shape, else what is wrong."""
    if response.status_code < 400:
        return None
    try:
        body = response.json()
    except ValueError:
        return f"status {response.status_code} with a non-JSON body: {response.text[:200]!r}"
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict) or set(error) != {"code", "message", "details"}:
        return f"status {response.status_code} not in the error shape: {body!r}"[:400]
    if not isinstance(error["code"], str) or not isinstance(error["message"], str) or not isinstance(error["details"], dict):
        return f"status {response.status_code} error fields of the wrong type: {error!r}"[:400]
    return None


def fuzz_operation(operation: Any, mode: GenerationMode, base_url: str, token: str,
                   role: str, findings: Findings) -> None:
    session = requests.Session()
    headers = {"Authorization": f"Bearer {token}"}

    @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Any) -> None:
        response = case.call(base_url=base_url, session=session, headers=headers, timeout=30)
        findings.calls += 1
        findings.server_errors += response.status_code >= 500
        problem = error_shape_problem(response)
        if problem:
            findings.add(role, operation.label, mode.value, f"{problem}\n{case.as_curl_command(headers)}")
        try:
            case.validate_response(response, checks=CHECKS, headers=headers)
        except (AssertionError, FailureGroup) as failure:
            findings.add(role, operation.label, mode.value, str(failure))

    run()


def fuzz_all(document: dict[str, Any], base_url: str, tokens: dict[str, str]) -> Findings:
    schema = schemathesis.openapi.from_dict(document)
    findings = Findings()
    operations = sorted((r.ok() for r in schema.get_all_operations()), key=lambda o: o.label)
    for operation in operations:
        if (operation.method.upper(), operation.path) in SKIP:
            continue
        # Valid requests as every role; invalid ones (which the validation
        # refuses whoever sends them) as one role per operation, in turn.
        negative_role = sorted(tokens)[zlib.crc32(operation.label.encode()) % len(tokens)]
        for role, token in tokens.items():
            fuzz_operation(operation, GenerationMode.POSITIVE, base_url, token, role, findings)
            if role == negative_role:
                fuzz_operation(operation, GenerationMode.NEGATIVE, base_url, token, role, findings)
    return findings


def server_tracebacks(log_text: str) -> str:
    """The distinct tracebacks in a server log (what a 5xx left behind)."""
    blocks = re.findall(r"Traceback \(most recent call last\):.*?\n(?=\S)[^\n]*", log_text, re.S)
    return "\n\n".join(dict.fromkeys(b[-2500:] for b in blocks))


@pytest.mark.timeout(TIMEOUT_S)
async def test_fuzzed_requests_get_no_5xx_and_answers_match_the_document(sqlite_only, org, live):
    keys = await add_far_users(org)
    tokens = {role: org.tokens[key] for role, key in keys.items()}
    async with live_client(base_url=live.url) as client:
        document = (await client.get("/api/v1/openapi.json")).json()
    findings = await asyncio.to_thread(fuzz_all, document, live.url, tokens)
    # The figures docs/proof.md quotes (shown with -s): requests made and 5xx answers.
    print(f"\nfuzz: {EXAMPLES} examples, {len(document['paths'])} paths, {findings.calls} requests, "
          f"{findings.server_errors} answered 5xx, {len(findings.failures)} failing operation/role/mode combinations")
    assert findings.calls > len(document["paths"]), "the fuzzer sent almost nothing"
    report = "\n\n".join(f"== {label} as {role} ({mode})\n{text}"
                         for (label, role, mode), text in list(findings.failures.items())[:MAX_FAILURES_SHOWN])
    assert not findings.failures, f"{len(findings.failures)} failing operation/role/mode combinations:\n\n{report}\n\nserver tracebacks:\n{server_tracebacks(live.log_path.read_text(errors='replace'))}"
