import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accord.partnerships import periodic


@pytest.fixture
def counting_pass(monkeypatch):
    seen = []
    monkeypatch.setitem(periodic.PASSES, "test.count", lambda now: seen.append(now) or "counted")
    return seen


def test_the_tick_command_runs_each_pass_with_the_given_moment(counting_pass, capsys, db):
    call_command("accord_tick", "--only", "test.count", "--now", "2026-12-01T09:00:00")
    assert "test.count: counted" in capsys.readouterr().out
    assert counting_pass[0].isoformat() == "2026-12-01T09:00:00+00:00"


def test_an_unknown_pass_is_a_clear_error(db):
    with pytest.raises(CommandError, match="Unknown pass"):
        call_command("accord_tick", "--only", "no.such.pass")


def test_the_scheduled_task_runs_the_passes(counting_pass, db, settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    result = periodic.run_periodic_passes.enqueue()
    assert ["test.count", "counted"] in result.return_value  # JSON round trip
