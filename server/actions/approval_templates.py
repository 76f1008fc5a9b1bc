"""Approval templates (审批流程): an administrator defines, per kind, the ordered steps.

Every change raises the template's `version` and keeps the previous steps as a
version row, so a request keeps the chain it was submitted under.
"""

from __future__ import annotations

from typing import Any

from server.access import Viewer
from server.actions.versioning import check_version, soft_delete
from server.errors import invalid_field
from server.models.approvals import ApprovalTemplate, ApprovalTemplateVersion
from server.models.identity import User
from server.queries.approvals import access_template
from server.transaction import atomic

KINDS = ("contract", "discount", "expense", "leave", "custom")
FLOW_FIELDS = ("name", "steps", "allow_forward")


async def _check_steps(steps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Named users must exist; a role step names manager or admin."""
    if not steps:
        raise invalid_field("steps", "needs at least one step")
    for number, step in enumerate(steps):
        if step["type"] == "user":
            if step.get("user_id") is None:
                raise invalid_field(f"steps.{number}.user_id", "is required for a user step")
            if not await User.exists(id=step["user_id"], active=True):
                raise invalid_field(f"steps.{number}.user_id", "names no active user")
        if step["type"] == "role" and step.get("role") is None:
            raise invalid_field(f"steps.{number}.role", "is required for a role step")
    return steps


async def _keep_version(template: ApprovalTemplate) -> None:
    await ApprovalTemplateVersion.create(
        template_id=template.id, number=template.version, name=template.name,
        steps=template.steps, allow_forward=template.allow_forward,
    )


async def create_template(viewer: Viewer, data: dict[str, Any]) -> ApprovalTemplate:
    viewer.require_admin()
    steps = await _check_steps(data["steps"])
    async with atomic():
        template = await ApprovalTemplate.create(
            kind=data["kind"], name=data["name"].strip(), steps=steps,
            allow_forward=data.get("allow_forward", False),
        )
        await _keep_version(template)
    return template


async def update_template(viewer: Viewer, template_id: int, data: dict[str, Any],
                          expected_version: int | None = None) -> ApprovalTemplate:
    """A new version; requests already submitted keep theirs."""
    viewer.require_admin()
    await access_template(viewer, template_id)
    if "steps" in data:
        await _check_steps(data["steps"])
    async with atomic():
        template = await ApprovalTemplate.select_for_update().get(id=template_id)
        check_version(template, expected_version)
        for name in FLOW_FIELDS:
            if data.get(name) is not None:
                setattr(template, name, data[name].strip() if name == "name" else data[name])
        template.version += 1
        await template.save()
        await _keep_version(template)
    return template


async def delete_template(viewer: Viewer, template_id: int, expected_version: int | None = None) -> None:
    """No new requests under it; pending ones finish under the version they were submitted with."""
    viewer.require_admin()
    await access_template(viewer, template_id)
    async with atomic():
        template = await ApprovalTemplate.select_for_update().get(id=template_id)
        await soft_delete(template, expected_version)
