from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0010_push')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Lead',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('company', fields.CharField(max_length=200)),
                ('contact_name', fields.CharField(null=True, max_length=100)),
                ('phone', fields.CharField(null=True, max_length=64)),
                ('email', fields.CharField(null=True, max_length=200)),
                ('address', fields.CharField(null=True, max_length=500)),
                ('note', fields.TextField(null=True, unique=False)),
                ('source', fields.CharField(max_length=100)),
                ('status', fields.CharField(default='new', db_index=True, max_length=12)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='leads', on_delete=OnDelete.CASCADE)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', null=True, db_constraint=True, to_field='id', related_name='leads_created', on_delete=OnDelete.SET_NULL)),
                ('follow_up_by', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('followed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('escalation', fields.IntField(default=0)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='leads', on_delete=OnDelete.SET_NULL)),
            ],
            options={'table': 'leads', 'app': 'models', 'indexes': [Index(fields=['owner_id', 'deleted_at']), Index(fields=['status', 'escalation', 'follow_up_by'])], 'pk_attr': 'id', 'table_description': 'A company someone should follow up, until it converts into a customer (撞单 and the cap apply).'},
            bases=['Versioned', 'Model'],
        ),
        ops.CreateModel(
            name='LeadSource',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('name', fields.CharField(unique=True, max_length=100)),
                ('key_hash', fields.CharField(unique=True, max_length=64)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', db_constraint=True, to_field='id', related_name='lead_sources', on_delete=OnDelete.RESTRICT)),
                ('active', fields.BooleanField(default=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'lead_sources', 'app': 'models', 'pk_attr': 'id', 'table_description': 'Where leads arrive from by themselves (a sign-up form, a partner) with its own API key.'},
            bases=['Model'],
        ),
        ops.AlterField(
            model_name='CheckIn',
            name='customer',
            field=fields.ForeignKeyField('models.Customer', source_field='customer_id', null=True, db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.CASCADE),
        ),
        ops.AddField(
            model_name='CheckIn',
            name='lead',
            field=fields.ForeignKeyField('models.Lead', source_field='lead_id', null=True, db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.SET_NULL),
        ),
    ]
