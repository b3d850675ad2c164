from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from learnloop.people.models import Person
from learnloop.people.services import token_authenticate

pytestmark = pytest.mark.django_db


def test_createuser_and_token_create():
    call_command(
        "createuser",
        "amara",
        "--email",
        "amara@example.org",
        "--password",
        "A-long-enough-pass-42",
        "--steward",
        stdout=io.StringIO(),
    )
    person = Person.objects.get(username="amara")
    assert person.is_steward
    out = io.StringIO()
    call_command("token", "create", "amara", stdout=out)
    assert token_authenticate(raw=out.getvalue().strip()) == person


def test_createuser_reports_a_weak_password_clearly():
    with pytest.raises(CommandError, match="password"):
        call_command("createuser", "bo", "--password", "123", stdout=io.StringIO())
    assert not Person.objects.filter(username="bo").exists()


def test_token_for_unknown_user():
    with pytest.raises(CommandError, match="No person"):
        call_command("token", "create", "ghost", stdout=io.StringIO())


def test_export_and_import_commands(tmp_path, owner):
    path = tmp_path / "network.json"
    call_command("export", str(path), stderr=io.StringIO())
    assert path.read_text().startswith('{"format": "learnloop-network"')
    with pytest.raises(CommandError, match="already holds"):
        call_command("import", str(path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="No such file"):
        call_command("import", str(tmp_path / "missing.json"), stdout=io.StringIO())
