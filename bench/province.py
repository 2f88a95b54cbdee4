"""All of China on one machine: ``cdo`` on a roster of every county's departments.

    python bench/province.py                  # 120,000 departments (about 2,800 county- and
                                              # 330 prefecture-level governments × ~40)
    python bench/province.py --units 20000    # a smaller look

Generates the roster with generate.py (in a child process), then runs ``cdo validate``,
``cdo overdue --format json``, ``cdo init`` (and each command :data:`COMMANDS` names,
where this cdo has it) once after a warm-up run, beside the C parser's events of the
same file, and checks each against the limits of issue 13: under 30 s and 2 GB on a
2-core machine. CPU time (user + system) is given beside the wall time: on a busy machine
the wall time waits for the processor, and the CPU time is what a quiet one would take.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    AS_OF,
    CHECKOUT,
    FLOOR_EVENTS,
    NA,
    Cdo,
    Row,
    Sample,
    find_cdo,
    machine,
    megabytes,
    print_table,
    run_once,
    seconds,
    versions,
)

LIMIT_SECONDS = 30.0
LIMIT_BYTES = 2 * 1024**3


def _validate(cdo: Cdo, roster: Path, _out: Path) -> list[str] | None:
    return [*cdo.argv, "validate", str(roster)]


def _overdue(cdo: Cdo, roster: Path, _out: Path) -> list[str] | None:
    if not cdo.has("overdue"):
        return None
    argv = [*cdo.argv, "overdue", "--roster", str(roster), "--as-of", AS_OF]
    return [*argv, "--format", "json"]


def _init(cdo: Cdo, _roster: Path, out: Path) -> list[str] | None:
    if not cdo.has("init"):
        return None
    return [*cdo.argv, "init", "--scheme", "bench", "-o", str(out / "roster.yaml")]


def _report(fmt: str) -> Callable[[Cdo, Path, Path], list[str] | None]:
    def argv(cdo: Cdo, roster: Path, out: Path) -> list[str] | None:
        if not cdo.has("report"):
            return None
        target = str(out / f"report.{fmt}")
        return [*cdo.argv, "report", str(roster), "--as-of", AS_OF, "-o", target]

    return argv


# label, the command (None: not available), the exit codes that are a success.
COMMANDS = [
    ("cdo validate", _validate, {0}),
    ("cdo overdue --format json", _overdue, {0, 1}),
    ("cdo init --scheme bench", _init, {0}),
    ("cdo report (html)", _report("html"), {0}),
    ("cdo report --format docx", _report("docx"), {0}),
]


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=120_000, help="departments in the roster")
    parser.add_argument("--runs", type=int, default=1, help="timed runs of each (after a warm-up)")
    parser.add_argument("--dir", type=Path, help="where to write the data (default: a temp dir)")
    parser.add_argument("--source", default=str(CHECKOUT), help="checkout whose cdo_cli to time")
    parser.add_argument("--installed", action="store_true", help="time the installed cdo")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    work = args.dir or Path(tempfile.mkdtemp(prefix="cdo-province-"))
    work.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.update(NO_COLOR="1", CDO_POLICIES=str(work / "policies"))
    env["CDO_CACHE_DIR"] = str(work / "cache")
    shutil.rmtree(work / "cache", ignore_errors=True)
    generate = [sys.executable, str(Path(__file__).with_name("generate.py"))]
    subprocess.run([*generate, "--units", str(args.units), "--out", str(work)], check=True, env=env)
    roster = work / "roster.yaml"
    cdo = find_cdo(args, env, work)
    print(f"machine:  {machine()}")
    print(f"libs:     {versions(cdo.env)}")
    print(f"cdo:      {cdo.how}")
    size = roster.stat().st_size
    scheme = work / "policies" / "bench.yaml"
    print(
        f"data:     {args.units + 2} units; roster {size / 1e6:.0f} MB, "
        f"scheme {scheme.stat().st_size / 1e6:.0f} MB; {work}"
    )
    print()

    rows: list[Row] = []
    events = [sys.executable, "-c", FLOOR_EVENTS, str(roster)]
    floor = _timed(events, cdo, work, args.runs)
    rows.append(
        Row("C events of the roster (floor)", _figure(floor), note="the least a YAML reader does")
    )
    for label, command, ok in COMMANDS:
        out = work / "out"
        shutil.rmtree(out, ignore_errors=True)
        out.mkdir()
        argv = command(cdo, roster, out)
        if argv is None:
            rows.append(Row(label, NA))
            continue
        samples: list[Sample] = []
        problem = ""
        for i in range(args.runs + 1):  # the first is a warm-up (and fills the scheme cache)
            shutil.rmtree(out, ignore_errors=True)
            out.mkdir()
            sample, code = run_once(argv, cdo.env, out)
            if code not in ok:
                problem = f"exit {code}"
                break
            if i:
                samples.append(sample)
        if problem:
            rows.append(Row(label, note=problem))
            continue
        wall = min(s.seconds for s in samples)
        cpu = min(s.cpu for s in samples)
        rss = max(s.rss for s in samples)
        met = cpu < LIMIT_SECONDS and rss < LIMIT_BYTES  # CPU: what a quiet machine takes
        rows.append(
            Row(
                label,
                _figure(samples),
                f"{cpu / min(s.cpu for s in floor):.1f}× the floor's CPU",
                target="< 30 s, < 2 GB",
                verdict="met" if met else "MISSED",
                runs=len(samples),
                note="" if wall < LIMIT_SECONDS else "wall over 30 s: the machine was busy",
            )
        )
    shutil.rmtree(work / "out", ignore_errors=True)
    print_table(rows, args.markdown)
    return 0


def _timed(argv: list[str], cdo: Cdo, cwd: Path, runs: int) -> list[Sample]:
    run_once(argv, cdo.env, cwd)  # warm-up
    return [run_once(argv, cdo.env, cwd)[0] for _ in range(runs)]


def _figure(samples: list[Sample]) -> str:
    wall = min(s.seconds for s in samples)
    cpu = min(s.cpu for s in samples)
    rss = max(s.rss for s in samples)
    return f"{seconds(wall)} wall, {seconds(cpu)} CPU, {megabytes(rss)} peak"


if __name__ == "__main__":
    sys.exit(main())
