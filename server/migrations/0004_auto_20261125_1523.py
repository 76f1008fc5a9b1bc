from tortoise import migrations
from tortoise.migrations import operations as ops
from tortoise.fields.base import OnDelete
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0003_auto_20261125_1514')]

    initial = False

    operations = [
        ops.CreateModel(
            name='JobLease',
            fields=[
                ('name', fields.CharField(primary_key=True, unique=True, db_index=True, max_length=64)),
                ('leased_until', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('holder', fields.CharField(default='', max_length=64)),
                ('last_started_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('last_finished_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'job_leases', 'app': 'models', 'pk_attr': 'name', 'table_description': 'Who runs the job `name` until `leased_until` (see schedulers/jobs.py).'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Task',
            fields=[
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(db_index=True, auto_now=True, auto_now_add=False)),
                ('version', fields.IntField(default=1)),
                ('deleted_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('kind', fields.CharField(default='task', max_length=8)),
                ('title', fields.CharField(max_length=200)),
                ('notes', fields.TextField(default='', unique=False)),
                ('start_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('due_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
                ('remind_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('assignee', fields.ForeignKeyField('models.User', source_field='assignee_id', db_constraint=True, to_field='id', related_name='tasks', on_delete=OnDelete.CASCADE)),
                ('created_by', fields.ForeignKeyField('models.User', source_field='created_by_id', db_constraint=True, to_field='id', related_name='tasks_created', on_delete=OnDelete.CASCADE)),
                ('status', fields.CharField(default='open', db_index=True, max_length=12)),
                ('subject_type', fields.CharField(null=True, max_length=16)),
                ('subject_id', fields.IntField(null=True)),
                ('reject_reason', fields.TextField(null=True, unique=False)),
                ('completed_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('escalated_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'tasks', 'app': 'models', 'indexes': [Index(fields=['assignee_id', 'due_at']), Index(fields=['created_by_id', 'due_at']), Index(fields=['status', 'escalated_at', 'due_at'])], 'pk_attr': 'id', 'table_description': 'A to-do (kind task) or an appointment (kind event, from start_at to due_at).'},
            bases=['Versioned', 'Model'],
        ),
        ops.AlterModelOptions(
            name='NotificationPreference',
            options={'table': 'notification_preferences', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'Which kinds a person gets by email, their quiet hours, and when their last digest went.'},
        ),
    ]
