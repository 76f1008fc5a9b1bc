"""Helpers for approval tests: a template per kind, a request, a decision."""

from __future__ import annotations

from typing import Any

# rep_sh (East Shanghai) → direct manager: manager_east (East) → nobody manages Head Office → the admin.
TWO_LEVELS = [{"type": "direct_manager"}, {"type": "manager_above", "min_amount": 100000}]


async def make_template(org: Any, kind: str = "custom", steps: list[dict[str, Any]] | None = None,
                        **extra: Any) -> dict[str, Any]:
    body = {"kind": kind, "name": f"{kind} flow", "steps": steps or TWO_LEVELS, **extra}
    response = await org.post("admin", "/api/v1/approval-templates", body)
    assert response.status_code == 201, response.text
    return response.json()


async def submit(org: Any, who: str = "rep_sh", **body: Any) -> dict[str, Any]:
    body.setdefault("kind", "custom")
    if "subject" not in body:
        body.setdefault("title", "出差申请")
    response = await org.post(who, "/api/v1/approvals", body)
    assert response.status_code == 201, response.text
    return response.json()


async def decide(org: Any, who: str, request_id: int, action: str = "approve", **body: Any) -> Any:
    if action in ("reject", "return"):
        body.setdefault("reason", "金额不对")
    return await org.post(who, f"/api/v1/approvals/{request_id}/{action}", body)


def jpeg_bytes(colour: str = "white") -> bytes:
    import io

    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (60, 40), colour).save(out, "JPEG")
    return out.getvalue()


async def upload_receipt(org: Any, who: str = "rep_sh") -> int:
    response = await org.post(who, "/api/v1/photos", files={"file": ("receipt.jpg", jpeg_bytes(), "image/jpeg")})
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


async def make_contract(org: Any, who: str = "rep_sh", amount: float = 200000, **extra: Any) -> dict[str, Any]:
    from tests.support.customers import make_customer

    customer = await make_customer(org, who, extra.pop("customer_name", "申城建材"))
    body = {"customer_id": customer["id"], "name": "年度供货合同", "amount": amount, **extra}
    response = await org.post(who, "/api/v1/contracts", body)
    assert response.status_code == 201, response.text
    return response.json()


async def approve_all(org: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Each step approved in turn by its first approver (login looked up from the org)."""
    by_id = {user.id: key for key, user in org.users.items()}
    body = request
    while body["status"] == "pending":
        approver = by_id[body["steps"][body["current_step"]]["approver_ids"][0]]
        response = await decide(org, approver, body["id"])
        assert response.status_code == 200, response.text
        body = response.json()
    return body
