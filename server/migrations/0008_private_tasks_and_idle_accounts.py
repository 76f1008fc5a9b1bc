from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields



async def everyone_active_now(apps, schema_editor) -> None:
    """Idle time counts from this upgrade, not from when each account was made."""
    import datetime as dt

    client = schema_editor.client
    now = dt.datetime.now(dt.timezone.utc)
    if client.capabilities.dialect == "postgres":
        await client.execute_query("UPDATE users SET last_active_at = $1", [now])
    else:
        await client.execute_query("UPDATE users SET last_active_at = ?", [now.isoformat(sep=" ")])


class Migration(migrations.Migration):
    dependencies = [('models', '0007_feed_item_text')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Task',
            name='private',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='User',
            name='inactive_locked_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='User',
            name='last_active_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.RunPython(everyone_active_now, ops.RunPython.noop),
    ]
