from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0009_quota_alerts_and_imported_customers')]

    initial = False

    operations = [
        ops.CreateModel(
            name='PushSubscription',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='push_subscriptions', on_delete=OnDelete.CASCADE)),
                ('session', fields.ForeignKeyField('models.Session', source_field='session_id', db_constraint=True, to_field='id', related_name='push_subscriptions', on_delete=OnDelete.CASCADE)),
                ('kind', fields.CharField(max_length=8)),
                ('address_hash', fields.CharField(unique=True, max_length=64)),
                ('endpoint', fields.TextField(null=True, unique=False)),
                ('p256dh', fields.CharField(null=True, max_length=128)),
                ('auth', fields.CharField(null=True, max_length=64)),
                ('token', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'push_subscriptions', 'app': 'models', 'indexes': [Index(fields=['user_id', 'session_id'])], 'pk_attr': 'id', 'table_description': "One device's push address: a Web Push subscription or a native token."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='PushOutbox',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('subscription', fields.ForeignKeyField('models.PushSubscription', source_field='subscription_id', db_constraint=True, to_field='id', related_name='outbox', on_delete=OnDelete.CASCADE)),
                ('user_id', fields.IntField()),
                ('session_id', fields.IntField()),
                ('seq', fields.BigIntField(null=True)),
                ('kind', fields.CharField(max_length=16)),
                ('payload', fields.JSONField(encoder=JSON_DUMPS, decoder=loads)),
                ('state', fields.CharField(default='queued', max_length=8)),
                ('attempts', fields.IntField(default=0)),
                ('next_attempt_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('claimed_by', fields.CharField(null=True, max_length=64)),
                ('sent_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_error', fields.TextField(null=True, unique=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'push_outbox', 'app': 'models', 'indexes': [Index(fields=['state', 'next_attempt_at']), Index(fields=['user_id', 'session_id', 'state'])], 'pk_attr': 'id', 'table_description': 'One push to one device, sent after commit, retried with back-off until it goes.'},
            bases=['Model'],
        ),
        ops.AlterModelOptions(
            name='NotificationPreference',
            options={'table': 'notification_preferences', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'Which kinds a person gets by email and by push, their quiet hours, and when their last digest went.'},
        ),
        ops.AddField(
            model_name='NotificationPreference',
            name='push_kinds',
            field=fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads),
        ),
        ops.AddField(
            model_name='NotificationPreference',
            name='reminders_in_quiet_hours',
            field=fields.BooleanField(default=True),
        ),
    ]
