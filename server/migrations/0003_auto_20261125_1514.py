from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0002_auto_20261125_1506')]

    initial = False

    operations = [
        ops.CreateModel(
            name='EmailOutbox',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('to', fields.CharField(max_length=254)),
                ('subject', fields.CharField(max_length=300)),
                ('text', fields.TextField(unique=False)),
                ('html', fields.TextField(unique=False)),
                ('user_id', fields.IntField(null=True)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'email_outbox', 'app': 'models', 'indexes': [Index(fields=['sent_at', 'next_attempt_at'])], 'pk_attr': 'id', 'table_description': 'An email waiting to be sent, retried with exponential back-off until it goes.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='FeedAudience',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('item', fields.ForeignKeyField('models.FeedItem', source_field='item_id', db_constraint=True, to_field='id', related_name='audience', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='feed_audience', on_delete=OnDelete.CASCADE)),
                ('reason', fields.CharField(max_length=16)),
            ],
            options={'table': 'feed_audience', 'app': 'models', 'unique_together': (('user_id', 'item_id'),), 'pk_attr': 'id', 'table_description': 'People named on an item who see it whatever its visibility: those mentioned'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='NotificationPreference',
            fields=[
                ('user', fields.OneToOneField('models.User', source_field='user_id', primary_key=True, db_index=True, db_constraint=True, to_field='id', related_name='notification_preference', on_delete=OnDelete.CASCADE)),
                ('email_kinds', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('quiet_start', fields.CharField(null=True, max_length=5)),
                ('quiet_end', fields.CharField(null=True, max_length=5)),
                ('last_digest_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'notification_preferences', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'Which kinds a person gets by email, their quiet hours, and when their last digest went.'},
            bases=['Model'],
        ),
    ]
