from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index



async def fill_last_contact(apps, schema_editor) -> None:
    """The latest follow-up note or check-in of each existing customer."""
    client = schema_editor.client
    await client.execute_script(
        "UPDATE customers SET last_contact_at = "
        "(SELECT MAX(a.created_at) FROM activities a WHERE a.customer_id = customers.id); "
        "UPDATE customers SET last_contact_at = "
        "(SELECT MAX(c.captured_at) FROM checkins c WHERE c.customer_id = customers.id) "
        "WHERE EXISTS (SELECT 1 FROM checkins c WHERE c.customer_id = customers.id "
        "AND (customers.last_contact_at IS NULL OR c.captured_at > customers.last_contact_at));"
    )


class Migration(migrations.Migration):
    dependencies = [('models', '0004_old_landline_keys')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Customer',
            name='city',
            field=fields.CharField(null=True, max_length=50),
        ),
        ops.AddField(
            model_name='Customer',
            name='description',
            field=fields.TextField(null=True, unique=False),
        ),
        ops.AddField(
            model_name='Customer',
            name='email',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddField(
            model_name='Customer',
            name='last_contact_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Customer',
            name='province',
            field=fields.CharField(null=True, max_length=50),
        ),
        ops.AddField(
            model_name='Customer',
            name='website',
            field=fields.CharField(null=True, max_length=300),
        ),
        ops.AddIndex(
            model_name='Customer',
            index=Index(fields=['province', 'city']),
        ),
        ops.AddIndex(
            model_name='Customer',
            index=Index(fields=['last_contact_at']),
        ),
        ops.RunPython(fill_last_contact, ops.RunPython.noop),
    ]
