"""The `learnloop` command: one entry point over LearnLoop's management commands.

    learnloop serve [--port 8000] [--demo]   serve with gunicorn on 127.0.0.1
    learnloop migrate                         create or update the database
    learnloop demo                            load the demo network
    learnloop createuser NAME [--steward]     create a person
    learnloop token create USERNAME           print a new API token
    learnloop worker                          run background tasks and periodic jobs
    learnloop decisions close-due | list      count votes that are due / list decisions
    learnloop routines due | remind           routines due / send reminders by email
    learnloop digests send | preview NAME     email digests that are due / show one
    learnloop newsletter --since D --format md  a newsletter issue as Markdown or HTML
    learnloop brokers list | queue NAME       knowledge brokers and what they could carry
    learnloop network refresh | show          compute the network map / print its figures
    learnloop search reindex | status         rebuild the search index / show its state
    learnloop eval-search DIR                 measure search quality on a BEIR-layout set
    learnloop export FILE / import FILE       the whole network as one JSON file

Any other Django management command works too (`learnloop check --deploy`, `learnloop shell`).
"""

from __future__ import annotations

import os
import sys

ALIASES = {"eval-search": "eval_search", "search-embed": "search_embed"}


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "learnloop.settings")
    from django.core.management import execute_from_command_line

    args = list(sys.argv[1:] if argv is None else argv)
    if not args or args[0] in {"-h", "--help"}:
        print(__doc__)
        return
    # Django command modules cannot have hyphens in their names; the CLI spells them so.
    args[0] = ALIASES.get(args[0], args[0])
    execute_from_command_line(["learnloop", *args])


if __name__ == "__main__":
    main()
