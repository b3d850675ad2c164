from __future__ import annotations

import io
import os
import subprocess
import sys

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    call_command("makemigrations", "--check", "--dry-run", stdout=io.StringIO())


def test_a_fresh_sqlite_database_migrates(tmp_path):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update({"LEARNLOOP_DATA_DIR": str(tmp_path), "LEARNLOOP_TESTING": "0"})
    result = subprocess.run(
        [sys.executable, "-m", "learnloop.cli", "migrate", "-v0"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "learnloop.sqlite3").exists()
