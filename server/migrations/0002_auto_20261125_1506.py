from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0001_initial')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Conversation',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(max_length=12)),
                ('title', fields.CharField(null=True, max_length=100)),
                ('owner', fields.ForeignKeyField('models.User', source_field='owner_id', null=True, db_constraint=True, to_field='id', related_name='owned_conversations', on_delete=OnDelete.SET_NULL)),
                ('department', fields.ForeignKeyField('models.Department', source_field='department_id', null=True, db_constraint=True, to_field='id', related_name='conversations', on_delete=OnDelete.SET_NULL)),
                ('direct_key', fields.CharField(null=True, unique=True, max_length=32)),
                ('last_message_id', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'conversations', 'app': 'models', 'pk_attr': 'id', 'table_description': "A direct pair, a group with an owner, or a department's group."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='ConversationMember',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='members', on_delete=OnDelete.CASCADE)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='conversation_memberships', on_delete=OnDelete.CASCADE)),
                ('last_read_message_id', fields.IntField(default=0)),
                ('joined_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('left_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'conversation_members', 'app': 'models', 'unique_together': (('conversation_id', 'user_id'),), 'indexes': [Index(fields=['user_id', 'left_at'])], 'pk_attr': 'id', 'table_description': "One person's place in a conversation. `left_at` set: no longer a member."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Message',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('conversation', fields.ForeignKeyField('models.Conversation', source_field='conversation_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('sender', fields.ForeignKeyField('models.User', source_field='sender_id', db_constraint=True, to_field='id', related_name='messages', on_delete=OnDelete.CASCADE)),
                ('client_id', fields.CharField(max_length=128)),
                ('body', fields.TextField(unique=False)),
                ('mentions', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('attachments', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('edited_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('deleted', fields.BooleanField(default=False)),
            ],
            options={'table': 'messages', 'app': 'models', 'unique_together': (('sender_id', 'client_id'),), 'indexes': [Index(fields=['conversation_id', 'id'])], 'pk_attr': 'id', 'table_description': 'A chat message. `client_id` is unique per sender: a resend returns the first.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Presence',
            fields=[
                ('user_id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('last_disconnect_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'presence', 'app': 'models', 'pk_attr': 'user_id', 'table_description': "When a user's last live socket closed (survives restarts, shared by processes)."},
            bases=['Model'],
        ),
    ]
