"""Copy a seeded SQLite data directory and apply the fixes the benchmark recommends.

    .venv/bin/python bench/what_if.py bench/results/data-<ts> bench/results/whatif-<ts> \\
        [--indexes] [--analyze]
    .venv/bin/python bench/run.py --reuse bench/results/whatif-<ts> --no-demo

--indexes creates, by hand, the indexes recommended in docs/benchmarks.md (what the
migrations would create once the models declare them); --analyze runs SQLite's ANALYZE
so the query planner knows the tables' sizes. The source directory is not changed. Use
it to check a recommendation before anyone writes the migration.
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
from pathlib import Path

# Every table of a SharedItem that the activity feed or a "last 90 days" count orders or
# filters by time, with the time field; the index leads with deleted_at because every
# visible_q() filter says deleted_at IS NULL.
INDEXES = {
    "generation_learning": "created_at",
    "generation_question": "created_at",
    "consolidation_idea": "created_at",
    "capture_knowledgeproduct": "published_at",
    "application_adoptionplan": "created_at",
}
PLAIN = {
    "consolidation_stagechange": "decided_at",
    "application_outcome": "recorded_at",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--indexes", action="store_true")
    parser.add_argument("--analyze", action="store_true")
    args = parser.parse_args()
    if args.target.exists():
        raise SystemExit(f"{args.target} exists; choose a new directory")
    args.target.mkdir(parents=True)
    for name in ("secret_key", "seed.json"):
        if (args.source / name).exists():
            shutil.copy2(args.source / name, args.target / name)
    src = sqlite3.connect(args.source / "learnloop.sqlite3")
    dst = sqlite3.connect(args.target / "learnloop.sqlite3")
    src.backup(dst)
    src.close()
    if args.indexes:
        for table, field in INDEXES.items():
            dst.execute(f'CREATE INDEX "{table}_live" ON "{table}" ("deleted_at", "{field}")')
            print(f"index {table}_live on (deleted_at, {field})")
        for table, field in PLAIN.items():
            dst.execute(f'CREATE INDEX "{table}_{field}" ON "{table}" ("{field}")')
            print(f"index {table}_{field} on ({field})")
    if args.analyze:
        dst.execute("ANALYZE")
        print("ANALYZE done")
    dst.commit()
    dst.close()
    print(f"ready: {args.target}")


if __name__ == "__main__":
    main()
