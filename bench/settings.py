"""Settings for the benchmark server: LearnLoop's own, plus one bare view to compare with.

Start gunicorn with DJANGO_SETTINGS_MODULE=bench.settings (and /work/main, the repository
root, on PYTHONPATH) so that every target, the bare one included, runs through the same
middleware, database and server.
"""

from copy import deepcopy
from pathlib import Path

from learnloop.settings import *  # noqa: F403
from learnloop.settings import TEMPLATES as _TEMPLATES

ROOT_URLCONF = "bench.bare_urls"

TEMPLATES = deepcopy(_TEMPLATES)
TEMPLATES[0]["DIRS"] = [*TEMPLATES[0]["DIRS"], Path(__file__).resolve().parent / "templates"]
