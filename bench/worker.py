"""One benchmark in its own process: `python -m bench.worker NAME --backend B --result FILE ...`.

Each backend gets a process of its own so that Django is configured once, for one database.
"""

from __future__ import annotations

import argparse
import json
import traceback
from pathlib import Path

from .harness import cleanup, django_setup, load_average, machine, say, timed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("name", choices=("ch", "ccew", "search"))
    parser.add_argument("--backend", default="sqlite", choices=("sqlite", "postgresql"))
    parser.add_argument("--input", type=Path)
    parser.add_argument("--rows", type=int, required=True)
    parser.add_argument("--reps", type=int, default=40)
    parser.add_argument("--result", type=Path, required=True)
    args = parser.parse_args()

    result: dict = {
        "benchmark": args.name,
        "backend": args.backend,
        "machine": machine(),
        "load_average_before": load_average(),
    }
    try:
        with timed() as elapsed:
            django_setup(args.name, args.backend)
        say(f"  fresh {args.backend} bench database migrated in {elapsed():.1f} s")
        if args.name == "ch":
            from . import ch

            result.update(ch.run(args.input, args.backend))
        elif args.name == "ccew":
            from . import ccew

            result.update(ccew.run(args.input, args.backend))
        else:
            from . import search

            result.update(search.run(args.rows, args.backend, args.reps))
    except Exception as error:  # reported in the summary; the other benchmarks still run
        traceback.print_exc()
        result["error"] = f"{type(error).__name__}: {error}"
        result["failed"] = True
    finally:
        result["load_average_after"] = load_average()
        try:
            cleanup(args.name, args.backend)
        except Exception as error:
            say(f"  could not remove the bench database: {error}")
    args.result.write_text(json.dumps(result, indent=2, default=str))


if __name__ == "__main__":
    main()
