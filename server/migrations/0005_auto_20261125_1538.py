from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from server.models.cards import CardStatus
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0004_auto_20261125_1523')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Card',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='cards', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharEnumField(default=CardStatus.PENDING, description='PENDING: pending\nDONE: done\nFAILED: failed', enum_type=CardStatus, max_length=8)),
                ('card_fields', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('confidence', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('raw_text', fields.TextField(default='', unique=False)),
                ('error', fields.CharField(null=True, max_length=200)),
                ('image_path', fields.CharField(max_length=300)),
                ('image_mime', fields.CharField(max_length=20)),
                ('attempts', fields.IntField(default=0)),
                ('claimed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('contact_id', fields.IntField(null=True)),
                ('customer_id', fields.IntField(null=True)),
                ('confirmed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'cards', 'app': 'models', 'indexes': [Index(fields=['status', 'claimed_at'])], 'pk_attr': 'id', 'table_description': 'One uploaded card photo. The image lives in the upload folder at `image_path`.'},
            bases=['Timestamped', 'Model'],
        ),
    ]
