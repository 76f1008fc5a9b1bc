from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomerSightChange',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='sight_changes', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.IntField(null=True)),
                ('changed_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'customer_sight_changes', 'app': 'models', 'indexes': [Index(fields=['user_id', 'changed_at', 'customer_id'])], 'pk_attr': 'id', 'table_description': 'A moment a person may have lost or gained sight of a customer.'},
            bases=['Model'],
        ),
    ]
