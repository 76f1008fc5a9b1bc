from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields



async def mark_imported(apps, schema_editor) -> None:
    """Customers imported before: those still carrying the import's default source."""
    await schema_editor.client.execute_script("UPDATE customers SET imported = TRUE WHERE source = 'import';")


class Migration(migrations.Migration):
    dependencies = [('models', '0008_private_tasks_and_idle_accounts')]

    initial = False

    operations = [
        ops.AddField(
            model_name='Customer',
            name='imported',
            field=fields.BooleanField(default=False),
        ),
        ops.AddField(
            model_name='User',
            name='quota_alerted_on',
            field=fields.DateField(null=True),
        ),
        ops.AddField(
            model_name='User',
            name='quota_summary_on',
            field=fields.DateField(null=True),
        ),
        ops.RunPython(mark_imported, ops.RunPython.noop),
    ]
