"""Mutation testing of the code that decides who sees what and when, one module at a time (`make mutate`).

Each target names the module(s) to mutate and the focused tests that should kill its mutants. A
target runs in its own copy of the project under var/mutate/<target>/ with a setup.cfg written for
it, so targets never share mutmut's state and one can be run again alone:

    make mutate                      # every target, one after the other
    make mutate TARGETS="masking"    # one target
    .venv/bin/python bench/mutate.py --list

The kill rate printed per target is what bench/README.md records. On demand only: not in CI.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WORK = ROOT / "var" / "mutate"
COPIED = ("hotline", "tests", "config", "migrations", "alembic.ini", "pyproject.toml")

# target: (modules to mutate, tests that should kill their mutants)
TARGETS: dict[str, tuple[list[str], list[str]]] = {
    "masking": (["hotline/text/masking.py"], ["tests/unit/test_masking.py",
                                              "tests/unit/test_providers_factory.py::test_addresses_are_masked_for_logs"]),
    "live-scope": (["hotline/live/scope.py"], ["tests/unit/test_live_scope.py"]),
    "lifecycle": (["hotline/dispatch/lifecycle.py"], ["tests/unit/test_lifecycle.py"]),
    "sla": (["hotline/dispatch/sla.py", "hotline/dispatch/calendar.py"], ["tests/unit/test_sla.py"]),
    "tracker": (["hotline/telephony/tracker.py", "hotline/telephony/queue_events.py", "hotline/telephony/kinds.py"], ["tests/unit/test_ami_reader.py"]),
    "ivr": (["hotline/ivr/flow.py"], ["tests/unit/test_ivr_flow.py"]),
    "scope": (["hotline/dispatch/scope.py"], [
        "tests/unit/test_masking.py", "tests/unit/test_scope_sql.py", "tests/integration/test_read_scope.py",
        "tests/integration/test_personal_data.py", "tests/integration/test_api_scope.py::test_order_list_holds_exactly_the_orders_in_scope",
        "tests/integration/test_order_page.py"]),
}


def prepare(name: str) -> Path:
    modules, tests = TARGETS[name]
    work = WORK / name
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    for entry in COPIED:
        source = ROOT / entry
        if source.is_dir():
            shutil.copytree(source, work / entry, ignore=shutil.ignore_patterns("__pycache__", "mutants"))
        else:
            shutil.copy2(source, work / entry)
    lines = "\n    ".join
    (work / "setup.cfg").write_text(
        "[mutmut]\n"
        "source_paths = hotline\n"
        f"only_mutate =\n    {lines(modules)}\n"
        "also_copy =\n    config\n    migrations\n    alembic.ini\n"
        f"pytest_add_cli_args_test_selection =\n    {lines(tests)}\n"
        "pytest_add_cli_args =\n    --db\n    sqlite\n    -q\n    -p\n    no:cacheprovider\n"
        "use_git_change_detection = false\n")
    return work


def run(name: str, mutmut: str, children: int) -> dict[str, int]:
    work = prepare(name)
    with (work / "mutmut-run.log").open("w") as log:  # mutmut draws progress; the summary is below
        subprocess.run([mutmut, "run", "--max-children", str(children)], cwd=work, check=False, stdout=log,
                       stderr=subprocess.STDOUT)
    listing = subprocess.run([mutmut, "results", "--all", "true"], cwd=work, capture_output=True, text=True)
    counts: dict[str, int] = {}
    survivors = []
    for line in listing.stdout.splitlines():
        match = re.match(r"\s*(\S+): (\S.*)$", line)
        if match:
            counts[match[2]] = counts.get(match[2], 0) + 1
            if match[2] == "survived":
                survivors.append(match[1])
    killed = counts.get("killed", 0) + counts.get("timeout", 0)
    total = sum(counts.values()) - counts.get("no tests", 0) - counts.get("skipped", 0)
    rate = 100 * killed / total if total else 0.0
    print(f"{name}: {killed}/{total} killed ({rate:.1f} %), {counts}")
    for survivor in survivors:
        print(f"  survived: {survivor}")
    return counts


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("targets", nargs="*", help=f"some of {', '.join(TARGETS)}; all when none")
    parser.add_argument("--mutmut", default=str(Path(sys.executable).with_name("mutmut")))
    parser.add_argument("--children", type=int, default=1, help="mutants run at once")
    parser.add_argument("--list", action="store_true", help="print the targets and exit")
    args = parser.parse_args()
    if args.list:
        for name, (modules, tests) in TARGETS.items():
            print(f"{name}: {' '.join(modules)} ← {' '.join(tests)}")
        return
    for name in args.targets or list(TARGETS):
        run(name, args.mutmut, args.children)


if __name__ == "__main__":
    main()
