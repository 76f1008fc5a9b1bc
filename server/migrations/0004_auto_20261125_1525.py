from tortoise import migrations
from tortoise.migrations import operations as ops

class Migration(migrations.Migration):
    dependencies = [('models', '0003_auto_20261125_1514')]

    initial = False

    operations = [
        ops.AlterModelOptions(
            name='NotificationPreference',
            options={'table': 'notification_preferences', 'app': 'models', 'pk_attr': 'user_id', 'table_description': 'Which kinds a person gets by email, their quiet hours, and when their last digest went.'},
        ),
    ]
