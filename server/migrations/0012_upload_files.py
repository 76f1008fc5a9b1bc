from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise import fields
from tortoise.indexes import Index


async def keep_earlier_uploads(apps, schema_editor) -> None:
    """Uploads from before this version count as attached: only new ones that
    nothing uses are cleaned up."""
    await schema_editor.client.execute_script("UPDATE photos SET attached_at = created_at")


class Migration(migrations.Migration):
    dependencies = [('models', '0011_leads_and_cold_visits')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='Photo',
            options={'table': 'photos', 'app': 'models', 'indexes': [Index(fields=['attached_at', 'created_at'])], 'pk_attr': 'id', 'table_description': 'An upload: a photo (re-encoded upright without metadata) or an ordinary file'},
        ),
        ops.AlterField(
            model_name='Photo',
            name='mime',
            field=fields.CharField(default='image/jpeg', max_length=100),
        ),
        ops.AddField(
            model_name='Photo',
            name='attached_at',
            field=fields.DatetimeField(null=True, auto_now=False, auto_now_add=False),
        ),
        ops.AddField(
            model_name='Photo',
            name='filename',
            field=fields.CharField(null=True, max_length=200),
        ),
        ops.AddIndex(
            model_name='Photo',
            index=Index(fields=['attached_at', 'created_at']),
        ),
        ops.RunPython(keep_earlier_uploads, ops.RunPython.noop),
    ]
