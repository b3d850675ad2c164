"""Background email goes through the django-tasks database backend and `learnloop worker`."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from learnloop.core.tasks import send_email


@pytest.fixture
def database_backend():
    # django-tasks reloads its backends when the TASKS setting changes.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}):
        yield


@pytest.mark.django_db(transaction=True)
def test_worker_sends_queued_email(database_backend, mailoutbox):
    send_email.enqueue(to=["nia@example.org"], subject="Welcome", body="Hello")
    assert mailoutbox == []
    assert DBTaskResult.objects.count() == 1
    call_command("worker", "--batch", "--every", "0", stdout=io.StringIO(), stderr=io.StringIO())
    assert [m.subject for m in mailoutbox] == ["Welcome"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"


@pytest.mark.django_db(transaction=True)
def test_worker_queues_and_runs_the_periodic_tasks(database_backend, settings):
    call_command("worker", "--batch", stdout=io.StringIO(), stderr=io.StringIO())
    done = dict(DBTaskResult.objects.values_list("task_path", "status"))
    assert done == dict.fromkeys(settings.PERIODIC_TASKS, "SUCCESSFUL")
