from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0012_upload_files')]

    initial = False

    operations = [
        ops.CreateModel(
            name='LeadHistory',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('lead', fields.ForeignKeyField('models.Lead', source_field='lead_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('action', fields.CharField(max_length=32)),
                ('actor_id', fields.IntField(null=True)),
                ('from_owner_id', fields.IntField(null=True)),
                ('to_owner_id', fields.IntField(null=True)),
                ('details', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'lead_history', 'app': 'models', 'indexes': [Index(fields=['lead_id', 'id'])], 'pk_attr': 'id', 'table_description': 'What happened to a lead, who did it and when: created, assigned, status, converted, deleted.'},
            bases=['Model'],
        ),
    ]
