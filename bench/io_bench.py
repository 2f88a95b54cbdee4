"""Word and Excel in and out at province scale, each against what its library alone costs.

    python bench/io_bench.py --units 1000 5000   # these rows at each size, and their growth
    python bench/run.py                          # the same rows, after the others, at one N

Rows (see bench/README.md), each command alternating with its floor:

- ``cdo export --format xlsx`` of the roster, against openpyxl loading the exported
  workbook and saving it again;
- ``cdo import`` of that workbook with the phone changed in every 50th row, as a preview
  and with ``--write``, against openpyxl loading the workbook;
- ``cdo import`` of every unit's Word form (``cdo render attachment2 --all``, then the
  contact's phone retyped in every 10th form), as a preview and with ``--write``, against
  python-docx opening every one of those files;
- ``cdo record filing`` of one unit's filing, against the C safe load of the roster.

Each ``--write`` run starts from a fresh copy of the roster. The files are prepared in
child processes (``python io_bench.py prepare-sheet|prepare-forms``) so that this process
stays small: on Linux a child's peak memory counts its parent's at the fork.
"""

from __future__ import annotations

import argparse
import math
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    AS_OF,
    CHECKOUT,
    FLOOR_EVENTS,
    FLOOR_LOAD,
    NA,
    Cdo,
    Row,
    Sample,
    check_run,
    find_cdo,
    machine,
    print_table,
    ratio_row,
    seconds,
    versions,
)

HERE = Path(__file__).resolve()
SHEET_EVERY = 50  # the phone is changed in every 50th row of the people sheet
FORM_EVERY = 10  # the contact's phone is retyped in every 10th form
FILING_UNIT = "越秀区发展和改革局"  # the first department of every bench roster

FLOOR_XLSX_SAVE = "import sys, openpyxl\nopenpyxl.load_workbook(sys.argv[1]).save(sys.argv[2])\n"
FLOOR_XLSX_LOAD = "import sys, openpyxl\nopenpyxl.load_workbook(sys.argv[1])\n"
FLOOR_DOCX_OPEN = (
    "import sys, docx\nfrom pathlib import Path\n"
    "for path in sorted(Path(sys.argv[1]).glob('*.docx')):\n"
    "    docx.Document(str(path))\n"
)


def io_rows(cdo: Cdo, roster: Path, work: Path, runs: int) -> list[Row]:
    """Every row of this file for the roster in ``work`` (made by generate.py)."""
    rows: list[Row] = []
    folder = work / "io"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for make in (export_rows, sheet_rows, form_rows, record_rows):
        rows += make(cdo, roster, folder, runs)
    return rows


def export_rows(cdo: Cdo, roster: Path, folder: Path, runs: int) -> list[Row]:
    """``cdo export --format xlsx`` against openpyxl's load and save of what it wrote."""
    label = "cdo export --format xlsx"
    if not cdo.has("export"):
        return [Row(label, NA)]
    book = folder / "名册.xlsx"
    cmd = [*cdo.argv, "export", "--format", "xlsx", "--roster", str(roster)]
    cmd += ["-o", str(book), "--as-of", AS_OF, "--force"]
    floor = [sys.executable, "-c", FLOOR_XLSX_SAVE, str(book), str(folder / "copy.xlsx")]
    problem = check_run(cmd, cdo.env, folder, {0}) or check_run(floor, cdo.env, folder, {0})
    if problem:
        return [Row(label, note=problem)]
    mine, base = _alternate(cmd, floor, cdo, folder, runs)
    note = f"workbook {book.stat().st_size / 1e6:.2f} MB"
    return [_row(label, mine, base, "openpyxl load+save", note)]


def sheet_rows(cdo: Cdo, roster: Path, folder: Path, runs: int) -> list[Row]:
    """``cdo import`` of the exported workbook with some phones changed, preview and write."""
    label = "cdo import 名册.xlsx"
    book = folder / "名册.xlsx"
    if not cdo.has("import"):
        return [Row(label, NA)]
    if not book.is_file():
        return [Row(label, note="no exported workbook (see the export row)")]
    edited = folder / "名册-改.xlsx"
    changed = _prepare("prepare-sheet", str(book), str(edited))
    floor = [sys.executable, "-c", FLOOR_XLSX_LOAD, str(edited)]
    return _import_rows(cdo, roster, folder, runs, label, [str(edited)], floor, changed)


def form_rows(cdo: Cdo, roster: Path, folder: Path, runs: int) -> list[Row]:
    """``cdo import`` of every unit's rendered Word form, some retyped, preview and write."""
    label = "cdo import 回收/*.docx"
    if not cdo.has("import") or not cdo.has("render"):
        return [Row(label, NA)]
    forms = folder / "回收"
    cmd = [*cdo.argv, "render", "attachment2", "--all", "--format", "docx"]
    cmd += ["--roster", str(roster), "-o", str(forms)]
    problem = check_run(cmd, cdo.env, folder, {0})
    if problem:
        return [Row(label, note=f"render: {problem}")]
    changed = _prepare("prepare-forms", str(forms))
    files = sorted(str(p) for p in forms.glob("*.docx"))
    floor = [sys.executable, "-c", FLOOR_DOCX_OPEN, str(forms)]
    label = f"cdo import 回收/*.docx ({len(files)})"
    return _import_rows(cdo, roster, folder, runs, label, files, floor, changed)


def record_rows(cdo: Cdo, roster: Path, folder: Path, runs: int) -> list[Row]:
    """One filing recorded with ``cdo record filing``: a single change to a large roster."""
    label = "cdo record filing (1 change)"
    if not cdo.has("record"):
        return [Row(label, NA)]
    copy = folder / "roster-record.yaml"
    cmd = [*cdo.argv, "record", "filing", "dept_cdo_annual_report", "--period", "2024"]
    cmd += ["--unit", FILING_UNIT, "--date", "2024-12-20", "--roster", str(copy)]
    floor = [sys.executable, "-c", FLOOR_LOAD, str(roster)]
    return [_write_row(cdo, roster, copy, folder, runs, label, cmd, floor, "C safe load", "")]


def _import_rows(
    cdo: Cdo,
    roster: Path,
    folder: Path,
    runs: int,
    label: str,
    files: list[str],
    floor: list[str],
    changed: str,
) -> list[Row]:
    floor_name = "python-docx open" if files[0].endswith(".docx") else "openpyxl load"
    copy = folder / "roster-import.yaml"
    shutil.copyfile(roster, copy)
    cmd = [*cdo.argv, "import", *files, "--roster", str(copy), "--date", AS_OF]
    problem = check_run(cmd, cdo.env, folder, {0}) or check_run(floor, cdo.env, folder, {0})
    if problem:
        return [Row(label, note=problem)]
    mine, base = _alternate(cmd, floor, cdo, folder, runs)
    preview = _row(f"{label}, preview", mine, base, floor_name, changed)
    # The second floor: the C parser's events of the roster import reads and writes.
    events = [sys.executable, "-c", FLOOR_EVENTS, str(roster)]
    t_events = statistics.median(_run(events, cdo.env, folder)[0].seconds for _ in range(runs))
    t_mine = statistics.median(s.seconds for s in mine)
    preview.floor2 = f"{seconds(t_events)} = {t_mine / t_events:.2f}× (C events of the roster)"
    write = _write_row(
        cdo, roster, copy, folder, runs, f"{label} --write", [*cmd, "--write"], floor, floor_name,
        changed,
    )  # fmt: skip
    return [preview, write]


def _write_row(
    cdo: Cdo,
    roster: Path,
    copy: Path,
    folder: Path,
    runs: int,
    label: str,
    cmd: list[str],
    floor: list[str],
    floor_name: str,
    note: str,
) -> Row:
    """A command that changes ``copy``, each run on a fresh copy of ``roster``."""
    shutil.copyfile(roster, copy)
    problem = check_run(cmd, cdo.env, folder, {0}) or check_run(floor, cdo.env, folder, {0})
    if problem:
        return Row(label, note=problem)
    if copy.read_bytes() == roster.read_bytes():
        return Row(label, note="the roster was not changed")
    mine: list[Timed] = []
    base: list[Timed] = []
    for _ in range(runs):
        base.append(_run(floor, cdo.env, folder)[0])
        _fresh(roster, copy)
        sample, code = _run(cmd, cdo.env, folder)
        if code != 0:
            return Row(label, note=f"exit {code}")
        mine.append(sample)
    _fresh(roster, copy)
    return _row(label, mine, base, floor_name, note)


def _fresh(roster: Path, copy: Path) -> None:
    """The roster copied again, its backups removed."""
    for backup in copy.parent.glob(f"{copy.name}.*.bak"):
        backup.unlink()
    shutil.copyfile(roster, copy)


def _alternate(
    cmd: list[str], floor: list[str], cdo: Cdo, folder: Path, runs: int
) -> tuple[list[Timed], list[Timed]]:
    mine: list[Timed] = []
    base: list[Timed] = []
    for _ in range(runs):
        base.append(_run(floor, cdo.env, folder)[0])
        mine.append(_run(cmd, cdo.env, folder)[0])
    return mine, base


@dataclass
class Timed(Sample):
    """A process's wall time and peak memory (as run.py's), and its CPU time."""

    cpu: float = 0.0


def _run(argv: list[str], env: dict[str, str], cwd: Path) -> tuple[Timed, int]:
    """Run a fresh process: wall time, peak RSS and CPU time (user + system), exit code."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    _pid, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    cpu = usage.ru_utime + usage.ru_stime
    return Timed(wall, usage.ru_maxrss * 1024, cpu), os.waitstatus_to_exitcode(status)


@dataclass
class IoRow(Row):
    """A row with the median times as numbers (wall and CPU, command and floor)."""

    times: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)


def _row(label: str, mine: list[Timed], base: list[Timed], floor_name: str, note: str) -> Row:
    """run.py's row of median wall times, with the CPU times and their ratio in the note:
    on a busy machine the wall times wait for the processor, the CPU times do not."""
    row = ratio_row(label, list(mine), list(base), 0, floor_name)
    c_mine = statistics.median(s.cpu for s in mine)
    c_base = statistics.median(s.cpu for s in base)
    cpu = f"CPU {seconds(c_mine)} vs {seconds(c_base)} = {c_mine / c_base:.2f}×"
    w_mine = statistics.median(s.seconds for s in mine)
    w_base = statistics.median(s.seconds for s in base)
    return IoRow(
        row.label, row.figure, row.floor, row.ratio, "(no target)", "",
        f"{cpu}; {note}" if note else cpu, row.runs, times=(w_mine, w_base, c_mine, c_base),
    )  # fmt: skip


def _prepare(*argv: str) -> str:
    """Run one of this file's preparations in a child; what it changed, for the note."""
    done = subprocess.run(
        [sys.executable, str(HERE), *argv], capture_output=True, text=True, check=True
    )
    return done.stdout.strip()


# ---------------------------------------------------------------- preparations (in a child)


def prepare_sheet(book: Path, out: Path) -> str:
    """The exported workbook with a new mobile in every ``SHEET_EVERY``-th person's row."""
    import openpyxl

    workbook = openpyxl.load_workbook(book)
    sheet = workbook.worksheets[0]
    header = [c.value for c in sheet[1]]
    name, phone = header.index("姓名"), header.index("联系电话")
    count = 0
    for i, row in enumerate(sheet.iter_rows(min_row=2)):
        if i % SHEET_EVERY == 0 and row[name].value:
            row[phone].value = f"139{count:08d}"
            count += 1
    workbook.save(out)
    return f"{count} phones changed in {sheet.max_row - 1} rows"


def prepare_forms(folder: Path) -> str:
    """Every ``FORM_EVERY``-th form with its contact's phone retyped, as a clerk does."""
    import docx

    files = sorted(folder.glob("*.docx"))
    count = 0
    for i, path in enumerate(files):
        if i % FORM_EVERY:
            continue
        document = docx.Document(str(path))
        table = document.tables[0]
        # Row 5 is the contact's (科室, 姓名, 职务, 联系方式: the phone, a line break, e-mail).
        cell = table.rows[5].cells[3]
        lines = [line for p in cell.paragraphs for line in p.text.split("\n")]
        email = next((t for t in lines if "@" in t), "")
        for paragraph in cell.paragraphs[1:]:
            paragraph._p.getparent().remove(paragraph._p)
        first = cell.paragraphs[0]
        for run in first.runs:
            run._r.getparent().remove(run._r)
        first.add_run(f"137{count:08d}")
        if email:
            cell.add_paragraph(email)
        document.save(str(path))
        count += 1
    return f"{count} of {len(files)} forms retyped"


# ---------------------------------------------------------------- on its own


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] == "prepare-sheet":
        print(prepare_sheet(Path(argv[1]), Path(argv[2])))
        return 0
    if argv and argv[0] == "prepare-forms":
        print(prepare_forms(Path(argv[1])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, nargs="+", default=[1000, 5000])
    parser.add_argument("--runs", type=int, default=3, help="runs of each command and floor")
    parser.add_argument("--dir", type=Path, help="where to write the data (default: a temp dir)")
    parser.add_argument("--source", default=str(CHECKOUT), help="checkout whose cdo_cli to time")
    parser.add_argument("--installed", action="store_true", help="time the installed cdo")
    parser.add_argument("--markdown", action="store_true", help="print the tables as Markdown")
    args = parser.parse_args(argv)

    root = args.dir or Path(tempfile.mkdtemp(prefix="cdo-io-bench-"))
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base_env["NO_COLOR"] = "1"
    tables: dict[int, list[Row]] = {}
    for n in args.units:
        work = root / str(n)
        generate = [sys.executable, str(HERE.with_name("generate.py")), "--units", str(n)]
        subprocess.run([*generate, "--out", str(work)], check=True, capture_output=True)
        env = {**base_env, "CDO_POLICIES": str(work / "policies")}
        cdo = find_cdo(args, env, work)
        if n == args.units[0]:
            print(f"machine:  {machine()}")
            print(f"libs:     {versions(cdo.env)}")
            print(f"cdo:      {cdo.how}")
            print(f"module:   {cdo.module}")
        roster = work / "roster.yaml"
        print(f"\nN = {n} ({roster.stat().st_size / 1e6:.2f} MB roster), {args.runs} runs each")
        tables[n] = io_rows(cdo, roster, work, args.runs)
        print_table(tables[n], args.markdown)
    if len(tables) > 1:
        print()
        print_table(growth(tables), args.markdown)
    return 0


def growth(tables: dict[int, list[Row]]) -> list[Row]:
    """Each row's growth from the smallest N to the largest, as an exponent k (time ∝ N^k),
    of the wall and of the CPU time, the command's and its floor's."""
    (n1, first), (n2, last) = min(tables.items()), max(tables.items())
    rows: list[Row] = []
    for one, two in zip(first, last, strict=False):
        label = re.sub(r" \(\d+\)", "", one.label)
        if not isinstance(one, IoRow) or not isinstance(two, IoRow):
            rows.append(Row(label, note="not measured at both sizes"))
            continue
        k = [math.log(b / a) / math.log(n2 / n1) for a, b in zip(one.times, two.times, strict=True)]
        rows.append(
            Row(
                f"{label}: N {n1} → {n2}",
                f"{one.figure} → {two.figure}",
                f"{one.floor.split(' (')[0]} → {two.floor.split(' (')[0]}",
                f"wall N^{k[0]:.2f} (floor N^{k[1]:.2f})",
                note=f"CPU N^{k[2]:.2f} (floor N^{k[3]:.2f})",
            )
        )
    return rows


if __name__ == "__main__":
    sys.exit(main())
