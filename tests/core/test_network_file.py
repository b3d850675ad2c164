"""Export and import a whole network as one JSON file, without loss."""

from __future__ import annotations

import io
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command

from learnloop.core.network_file import NetworkFileError, export_network, import_network
from learnloop.core.services import attachment_add, comment_create
from learnloop.generation.services import learning_create
from tests.factories import EvidenceFactory, IdeaFactory, StepFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _export() -> dict:
    out = io.StringIO()
    export_network(out)
    data = json.loads(out.getvalue())
    data.pop("exported_at")
    return data


def test_round_trip_loses_nothing(owner, member, group):
    learning = learning_create(
        author=owner,
        title="Calls work",
        body="*yes*",
        group=group,
        visibility="group",
        tags=["calls", "families"],
    )
    attachment_add(
        author=owner, target=learning, file=SimpleUploadedFile("data.csv", b"a,b\n1,2\n")
    )
    comment_create(author=member, target=learning, body="Nice")
    idea = IdeaFactory(author=owner)
    EvidenceFactory(idea=idea, learning=learning)
    StepFactory()
    before = _export()

    call_command("flush", interactive=False, verbosity=0)
    import_network(io.StringIO(json.dumps({**before, "exported_at": "x"})))
    after = _export()

    assert after == before
    assert any(name.endswith("data.csv") for name in after["files"])


def test_import_refuses_a_non_empty_database(owner):
    out = io.StringIO()
    export_network(out)
    with pytest.raises(NetworkFileError, match="already holds a network"):
        import_network(io.StringIO(out.getvalue()))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("not json", "not a JSON file"),
        ('{"a": 1}', "not a LearnLoop network file"),
        ('{"format": "learnloop-network", "version": 99}', "Unsupported"),
    ],
)
def test_import_explains_bad_files(text, message):
    with pytest.raises(NetworkFileError, match=message):
        import_network(io.StringIO(text))
