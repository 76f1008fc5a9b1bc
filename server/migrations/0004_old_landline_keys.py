"""Give old 7-digit landlines (0514-2398577) the 撞单 keys they now have.

Such numbers used to be refused as invalid and stored without a key; the
customers that hold one get their phone_key / fax_key computed again.
"""

from typing import Any

from tortoise import migrations
from tortoise.migrations import operations as ops


async def rekey_old_landlines(apps: Any, schema_editor: Any) -> None:
    from server.dedupe import normalize_phone
    from server.settings import get_settings

    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    region = get_settings().phone_region
    _, rows = await client.execute_query(
        "SELECT id, phone, fax, phone_key, fax_key FROM customers "
        "WHERE (phone IS NOT NULL AND phone_key IS NULL) OR (fax IS NOT NULL AND fax_key IS NULL)"
    )
    update = ("UPDATE customers SET phone_key = $1, fax_key = $2 WHERE id = $3" if postgres
              else "UPDATE customers SET phone_key = ?, fax_key = ? WHERE id = ?")
    for row in rows:
        phone_key = row["phone_key"] or normalize_phone(row["phone"], region)
        fax_key = row["fax_key"] or normalize_phone(row["fax"], region)
        if (phone_key, fax_key) != (row["phone_key"], row["fax_key"]):
            await client.execute_query(update, [phone_key, fax_key, row["id"]])


class Migration(migrations.Migration):
    dependencies = [('models', '0003_user_language')]

    initial = False

    operations = [
        ops.RunPython(rekey_old_landlines, ops.RunPython.noop),
    ]
