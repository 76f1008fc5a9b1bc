"""Customers, 撞单 checks, the public pool, sharing, import and export."""

from __future__ import annotations

from typing import Any

from starlette.responses import StreamingResponse

from mobile_api.concurrency import if_match
from mobile_api.forms import read_csv_upload
from mobile_api.pagination import PageQuery
from mobile_api.routing import Call, api
from mobile_api.schemas import customers as s
from server.actions import customer_import, customers, pool
from server.customer_csv import MAX_IMPORT_BYTES
from server.errors import rate_limited
from server.queries import customer_history, customer_lists, customer_lookup
from server.queries import customers as q


def _filter(query: Any) -> customer_lists.CustomerFilter:
    fields = {name: getattr(query, name) for name in customer_lists.FIELD_FILTERS}
    return customer_lists.CustomerFilter(
        query.scope, query.q, query.tag, query.owner_id, {k: v for k, v in fields.items() if v},
        query.last_contact_before, query.last_contact_after, getattr(query, "sort", None),
    )


@api.get("/api/v1/customers", query=s.CustomersQuery, response=s.CustomerList)
async def list_customers(call: Call) -> Any:
    """Customers the caller sees; `near` orders by distance, `updated_since` syncs (with tombstones)."""
    query = call.query
    if query.near:
        return await customer_lists.list_near(call.viewer, _filter(query), query.near, query.radius_m,
                                              query.limit, query.cursor)
    return await customer_lists.list_customers(call.viewer, _filter(query), query.limit, query.cursor,
                                               query.updated_since)


@api.post("/api/v1/customers", body=s.CustomerIn, response=s.Customer, status=201, idempotent=True,
          errors=(403, 409))
async def create_customer(call: Call) -> Any:
    """Add a customer; 409 `duplicate` when the company already exists, whoever owns it;
    409 `limit_reached` when the owner is at their cap."""
    customer = await customers.create_customer(call.viewer, call.changes())
    return await q.customer_answer(customer)


@api.get("/api/v1/customers/duplicates", query=s.DuplicatesQuery, response=s.DuplicateList)
async def check_duplicates(call: Call) -> Any:
    """The 撞单 check without creating: customers anywhere with the same name, phone or fax."""
    query = call.query
    return {"duplicates": await q.find_duplicates(query.name, query.phone, query.fax, call.viewer)}


@api.get("/api/v1/customers/lookup", query=s.LookupQuery, response=s.LookupList, errors=(429,))
async def lookup_customers(call: Call) -> Any:
    """全局查询: is anyone already on this company? Customers of any owner by name words,
    name key, phone or fax — only name, owner (name, department) and pool state.
    Limited per user per minute (`FIELDLINE_LOOKUPS_PER_MINUTE`)."""
    wait = await call.request.app.state.lookup_limiter.attempt(str(call.viewer.id))
    if wait:
        raise rate_limited("Too many lookups; try again shortly.", wait)
    return await customer_lookup.lookup_customers(call.query.q)


@api.get("/api/v1/customers/export.csv", query=s.ExportQuery, produces="text/csv")
async def export_customers(call: Call) -> StreamingResponse:
    """The customers the caller sees as CSV (UTF-8 with a BOM, for Excel)."""
    rows = customer_lists.export_csv(call.viewer, _filter(call.query))
    return StreamingResponse(rows, media_type="text/csv; charset=utf-8",
                             headers={"Content-Disposition": 'attachment; filename="customers.csv"'})


@api.post("/api/v1/customers/import", raw_body="multipart", response=s.ImportResult, idempotent=True,
          errors=(409, 413, 415))
async def import_customers(call: Call) -> Any:
    """Create customers from a CSV file: fields `file`, `mapping` (JSON), optional `dry_run=true`.
    Rows with errors or duplicates are skipped and listed; the rest are created together."""
    upload = await read_csv_upload(call.request, MAX_IMPORT_BYTES)
    return await customer_import.import_customers(call.viewer, upload.content, upload.mapping, upload.dry_run)


@api.get("/api/v1/customers/{id:int}", response=s.Customer)
async def get_customer(call: Call) -> Any:
    """One customer."""
    return await q.customer_answer(await q.access_customer(call.viewer, call["id"]))


@api.patch("/api/v1/customers/{id:int}", body=s.CustomerPatchIn, response=s.Customer, errors=(403, 409))
async def update_customer(call: Call) -> Any:
    """Change a customer (owner or their manager); `If-Match: <version>` → 409 `stale_version`."""
    data = call.changes()
    customer = await customers.update_customer(call.viewer, call["id"], data, if_match(call.request))
    return await q.customer_answer(customer)


@api.delete("/api/v1/customers/{id:int}", status=204, errors=(403, 409))
async def delete_customer(call: Call) -> None:
    """Delete a customer (owner or their manager); syncing phones get a tombstone."""
    await customers.delete_customer(call.viewer, call["id"], if_match(call.request))


@api.post("/api/v1/customers/{id:int}/release", body=s.ReleaseIn, response=s.Customer, errors=(403, 409))
async def release_customer(call: Call) -> Any:
    """Give the customer up to the public pool, saying why."""
    return await q.customer_answer(await pool.release_to_pool(call.viewer, call["id"], call.body.reason))


@api.post("/api/v1/customers/{id:int}/claim", response=s.Customer, errors=(409,))
async def claim_customer(call: Call) -> Any:
    """Take a customer from the pool; 409 `limit_reached` past the caller's cap,
    409 `conflict` when someone else claimed it first."""
    return await q.customer_answer(await pool.claim_from_pool(call.viewer, call["id"]))


@api.post("/api/v1/customers/{id:int}/transfer", body=s.TransferIn, response=s.Customer, errors=(403, 409))
async def transfer_customer(call: Call) -> Any:
    """Give the customer to someone in the caller's team (managers, admins); 409
    `limit_reached` when they are at their cap."""
    body = call.body
    return await q.customer_answer(await pool.transfer_customer(call.viewer, call["id"], body.owner_id, body.reason))


@api.post("/api/v1/customers/{id:int}/share", body=s.ShareIn, response=s.Customer, errors=(403,))
async def share_customer(call: Call) -> Any:
    """Set the colleagues the customer is shared with (the list replaces the previous one)."""
    return await q.customer_answer(await pool.share_customer(call.viewer, call["id"], call.body.user_ids))


@api.get("/api/v1/customers/{id:int}/history", query=PageQuery, response=s.HistoryList)
async def history(call: Call) -> Any:
    """Who created, released, claimed, transferred or shared the customer, when, and why."""
    return await customer_history.customer_history(call.viewer, call["id"], call.query.limit, call.query.cursor)
