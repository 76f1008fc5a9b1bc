from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields

class Migration(migrations.Migration):
    dependencies = [('models', '0013_lead_history')]

    initial = False

    operations = [
        ops.CreateModel(
            name='QuotaTarget',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('role', fields.CharField(null=True, unique=True, max_length=16)),
                ('department', fields.ForeignKeyField('models.Department', source_field='department_id', null=True, unique=True, db_constraint=True, to_field='id', related_name='quota_targets', on_delete=OnDelete.CASCADE)),
                ('effective_contacts', fields.IntField(null=True)),
                ('new_key_customers', fields.IntField(null=True)),
                ('updated_by_id', fields.IntField(null=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'quota_targets', 'app': 'models', 'pk_attr': 'id', 'table_description': 'The daily targets of one role or one department (null: not set here, inherited).'},
            bases=['Model'],
        ),
    ]
