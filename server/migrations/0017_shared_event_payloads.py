"""Each durable event's payload is stored once (`events`); a user's log keeps
their `seq` and the event's id (docs/realtime.md, "Fan-out, 2026-12-05, second pass").

Tortoise's own operations would add `event_id` with a foreign-key constraint
(the model has none: see `EventLogEntry`) and copy the log table once per
dropped column, so the operations below only record the new models, and
`split_event_log` changes the tables itself. Events logged before this
version become one `events` row per log row, with the same id.
"""

from typing import Any

from tortoise import fields, migrations
from tortoise.fields.base import OnDelete
from tortoise.migrations import operations as ops


class ModelsOnly(ops.TortoiseOperation):
    """`operation`'s change to the models as migrations see them; no SQL."""

    def __init__(self, operation: ops.TortoiseOperation) -> None:
        self.operation = operation

    def describe(self) -> str:
        return f"{self.operation.describe()} (models only)"

    def state_forward(self, app_label: str, state: Any) -> None:
        self.operation.state_forward(app_label, state)


_SQLITE = """
CREATE TABLE "events" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "type" VARCHAR(40) NOT NULL,
    "data" TEXT NOT NULL,
    "created_at" TIMESTAMP NOT NULL
);
CREATE INDEX "idx_events_created_d652bf" ON "events" ("created_at");
INSERT INTO "events" ("id", "type", "data", "created_at") SELECT "id", "type", "data", "created_at" FROM "event_log";
CREATE TABLE "new__event_log" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "user_id" INT NOT NULL,
    "seq" BIGINT NOT NULL,
    "event_id" BIGINT NOT NULL,
    CONSTRAINT "uid_event_log_user_id_56a57b" UNIQUE ("user_id", "seq")
);
INSERT INTO "new__event_log" ("id", "user_id", "seq", "event_id") SELECT "id", "user_id", "seq", "id" FROM "event_log";
DROP TABLE "event_log";
ALTER TABLE "new__event_log" RENAME TO "event_log";
CREATE INDEX "idx_event_log_event_i_2da017" ON "event_log" ("event_id");
"""

_POSTGRES = """
CREATE TABLE "events" (
    "id" BIGSERIAL NOT NULL PRIMARY KEY,
    "type" VARCHAR(40) NOT NULL,
    "data" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ NOT NULL
);
INSERT INTO "events" ("id", "type", "data", "created_at") SELECT "id", "type", "data", "created_at" FROM "event_log";
SELECT setval(pg_get_serial_sequence('events', 'id'), COALESCE(MAX("id"), 0) + 1, false) FROM "events";
CREATE INDEX "idx_events_created_d652bf" ON "events" ("created_at");
ALTER TABLE "event_log" ADD COLUMN "event_id" BIGINT;
UPDATE "event_log" SET "event_id" = "id";
ALTER TABLE "event_log" ALTER COLUMN "event_id" SET NOT NULL;
ALTER TABLE "event_log" DROP COLUMN "type", DROP COLUMN "data", DROP COLUMN "created_at";
CREATE INDEX "idx_event_log_event_i_2da017" ON "event_log" ("event_id");
"""


async def split_event_log(apps: Any, schema_editor: Any) -> None:
    client = schema_editor.client
    postgres = client.capabilities.dialect == "postgres"
    await client.execute_script(_POSTGRES if postgres else _SQLITE)


class Migration(migrations.Migration):
    dependencies = [('models', '0016_customer_owner_id_index')]

    initial = False

    operations = [
        ModelsOnly(ops.CreateModel(
            name='LoggedEvent',
            fields=[
                ('id', fields.BigIntField(generated=True, primary_key=True, unique=True, db_index=True)),
                ('type', fields.CharField(max_length=40)),
                ('data', fields.TextField(unique=False)),
                ('created_at', fields.DatetimeField(db_index=True, auto_now=False, auto_now_add=False)),
            ],
            options={'table': 'events', 'app': 'models', 'pk_attr': 'id', 'table_description': 'A durable event as committed: its type, payload and time, stored once'},
            bases=['Model'],
        )),
        ModelsOnly(ops.AlterModelOptions(
            name='EventLogEntry',
            options={'table': 'event_log', 'app': 'models', 'unique_together': (('user_id', 'seq'),), 'pk_attr': 'id', 'table_description': "One recipient's place in their log: their gap-free `seq` for an event."},
        )),
        ModelsOnly(ops.AddField(
            model_name='EventLogEntry',
            name='event',
            field=fields.ForeignKeyField('models.LoggedEvent', source_field='event_id', db_index=True, db_constraint=False, to_field='id', related_name='entries', on_delete=OnDelete.CASCADE),
        )),
        ModelsOnly(ops.RemoveField(model_name='EventLogEntry', name='created_at')),
        ModelsOnly(ops.RemoveField(model_name='EventLogEntry', name='data')),
        ModelsOnly(ops.RemoveField(model_name='EventLogEntry', name='type')),
        ops.RunPython(split_event_log),
    ]
