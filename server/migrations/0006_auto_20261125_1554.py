from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0005_auto_20261125_1538')]

    initial = False

    operations = [
        ops.CreateModel(
            name='CustomerTag',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='tag_rows', on_delete=OnDelete.CASCADE)),
                ('tag', fields.CharField(db_index=True, max_length=50)),
            ],
            options={'table': 'customer_tags', 'app': 'models', 'unique_together': (('customer_id', 'tag'),), 'pk_attr': 'id', 'table_description': 'One tag of a customer, so that `?tag=` is an indexed lookup on every database.'},
            bases=['Model'],
        ),
        ops.AddIndex(
            model_name='Contact',
            index=Index(fields=['customer_id', 'deleted_at']),
        ),
        ops.AddIndex(
            model_name='Contact',
            index=Index(fields=['owner_id', 'deleted_at']),
        ),
        ops.AddIndex(
            model_name='CustomerHistory',
            index=Index(fields=['customer_id', 'id']),
        ),
        ops.AddIndex(
            model_name='CustomerShare',
            index=Index(fields=['user_id', 'customer_id']),
        ),
        ops.AddIndex(
            model_name='Opportunity',
            index=Index(fields=['customer_id', 'deleted_at']),
        ),
        ops.AddIndex(
            model_name='Opportunity',
            index=Index(fields=['owner_id', 'deleted_at']),
        ),
    ]
