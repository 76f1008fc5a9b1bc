from tortoise import migrations
from tortoise.migrations import operations as ops
from orjson import loads
from tortoise.fields.base import OnDelete
from tortoise.fields.data import JSON_DUMPS
from tortoise import fields
from tortoise.indexes import Index

class Migration(migrations.Migration):
    dependencies = [('models', '0006_auto_20261125_1554')]

    initial = False

    operations = [
        ops.CreateModel(
            name='Activity',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('author', fields.ForeignKeyField('models.User', source_field='author_id', db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='activities', on_delete=OnDelete.CASCADE)),
                ('contact_id', fields.IntField(null=True)),
                ('opportunity_id', fields.IntField(null=True)),
                ('kind', fields.CharField(max_length=12)),
                ('content', fields.TextField(unique=False)),
                ('reached', fields.BooleanField(default=True)),
                ('next_contact_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'activities', 'app': 'models', 'indexes': [Index(fields=['author_id', 'created_at']), Index(fields=['customer_id', 'created_at'])], 'pk_attr': 'id', 'table_description': 'A follow-up note (联系小记): a call, visit, email, meeting or note about a customer.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='CheckIn',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.CASCADE)),
                ('customer', fields.ForeignKeyField('models.Customer', source_field='customer_id', db_constraint=True, to_field='id', related_name='checkins', on_delete=OnDelete.CASCADE)),
                ('lat', fields.FloatField()),
                ('lng', fields.FloatField()),
                ('accuracy_m', fields.FloatField()),
                ('captured_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('address', fields.CharField(null=True, max_length=500)),
                ('note', fields.TextField(null=True, unique=False)),
                ('distance_m', fields.FloatField(null=True)),
                ('within_geofence', fields.BooleanField(null=True)),
                ('flags', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('photo_ids', fields.JSONField(default=list, encoder=JSON_DUMPS, decoder=loads)),
                ('checkout_lat', fields.FloatField(null=True)),
                ('checkout_lng', fields.FloatField(null=True)),
                ('checkout_at', fields.DatetimeField(null=True, auto_now=False, auto_now_add=False)),
                ('duration_s', fields.IntField(null=True)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'checkins', 'app': 'models', 'indexes': [Index(fields=['user_id', 'captured_at']), Index(fields=['customer_id', 'captured_at'])], 'pk_attr': 'id', 'table_description': "A rep's geo-tagged arrival at a customer, with the reasons a manager may doubt it."},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DailyReport',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('user', fields.ForeignKeyField('models.User', source_field='user_id', db_constraint=True, to_field='id', related_name='daily_reports', on_delete=OnDelete.CASCADE)),
                ('date', fields.DateField()),
                ('summary', fields.TextField(unique=False)),
                ('plan', fields.TextField(unique=False)),
                ('problems', fields.TextField(null=True, unique=False)),
                ('figures', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('late', fields.BooleanField(default=False)),
                ('version', fields.IntField(default=1)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
                ('updated_at', fields.DatetimeField(auto_now=True, auto_now_add=False)),
            ],
            options={'table': 'daily_reports', 'app': 'models', 'unique_together': (('user_id', 'date'),), 'indexes': [Index(fields=['date', 'user_id'])], 'pk_attr': 'id', 'table_description': 'One report per person per local day. Resubmitting keeps the old text as history.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='DailyReportVersion',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('report', fields.ForeignKeyField('models.DailyReport', source_field='report_id', db_constraint=True, to_field='id', related_name='history', on_delete=OnDelete.CASCADE)),
                ('version', fields.IntField()),
                ('summary', fields.TextField(unique=False)),
                ('plan', fields.TextField(unique=False)),
                ('problems', fields.TextField(null=True, unique=False)),
                ('figures', fields.JSONField(default=dict, encoder=JSON_DUMPS, decoder=loads)),
                ('late', fields.BooleanField(default=False)),
                ('submitted_at', fields.DatetimeField(auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'daily_report_versions', 'app': 'models', 'unique_together': (('report_id', 'version'),), 'pk_attr': 'id', 'table_description': 'A version of a daily report as it stood before it was resubmitted.'},
            bases=['Model'],
        ),
        ops.CreateModel(
            name='Photo',
            fields=[
                ('id', fields.IntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('uploader', fields.ForeignKeyField('models.User', source_field='uploader_id', db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.CASCADE)),
                ('path', fields.CharField(max_length=300)),
                ('mime', fields.CharField(default='image/jpeg', max_length=32)),
                ('width', fields.IntField()),
                ('height', fields.IntField()),
                ('size_bytes', fields.IntField()),
                ('checkin', fields.ForeignKeyField('models.CheckIn', source_field='checkin_id', null=True, db_constraint=True, to_field='id', related_name='photos', on_delete=OnDelete.SET_NULL)),
                ('created_at', fields.DatetimeField(auto_now=False, auto_now_add=True)),
            ],
            options={'table': 'photos', 'app': 'models', 'pk_attr': 'id', 'table_description': 'An uploaded photo, re-encoded upright without metadata and stored under the upload folder.'},
            bases=['Model'],
        ),
    ]
