"""Settings come from the environment, once, with one-line errors."""

from __future__ import annotations

import pytest

from server.settings import SettingsError, load_settings


def test_defaults_match_the_contract():
    s = load_settings({})
    assert (s.database_url, s.redis_url, s.geofence_m, s.max_customers_per_rep) == ("sqlite://fieldline.db", None, 500, 130)
    assert (s.event_retention_hours, s.email_after_minutes, s.email_digest_minutes) == (72, 10, 15)
    assert (s.daily_report_deadline, s.overdue_escalation_hours) == ("18:00", 24)
    assert (s.daily_contacts_target, s.daily_new_key_customers_target) == (35, 3)


def test_fractional_numbers_are_accepted():
    assert load_settings({"FIELDLINE_EMAIL_DIGEST_MINUTES": "0.1"}).email_digest_minutes == 0.1


@pytest.mark.parametrize("variable, value", [
    ("FIELDLINE_GEOFENCE_M", "far"), ("FIELDLINE_GEOFENCE_M", "nan"), ("FIELDLINE_GEOFENCE_M", "-1"),
    ("FIELDLINE_MAX_CUSTOMERS_PER_REP", "1.5"), ("FIELDLINE_DAILY_REPORT_DEADLINE", "25:00"),
    ("SMTP_STARTTLS", "maybe"), ("REDIS_URL", "http://x"), ("DATABASE_URL", "mysql://x"),
    ("FIELDLINE_DEFAULT_TIMEZONE", "Mars/Base"), ("SMTP_PORT", "x"),
])
def test_malformed_values_name_the_variable(variable, value):
    with pytest.raises(SettingsError) as error:
        load_settings({variable: value})
    assert variable in str(error.value) and "\n" not in str(error.value)


def test_memory_broker_url_means_in_process():
    assert load_settings({"REDIS_URL": "memory://"}).redis_url is None
    assert load_settings({"REDIS_URL": "redis://127.0.0.1:6379/0"}).redis_url == "redis://127.0.0.1:6379/0"
