"""Time ``cdo`` at province scale, each figure against a floor measured in the same run.

    python bench/run.py                      # N = 5000, the checkout this file is in
    python bench/run.py --units 500 --runs 3 # quicker
    python bench/run.py --installed          # the ``cdo`` script instead of the checkout

Every figure is the median of several fresh processes; each command and its floor are
run alternately so that a noisy machine slows both alike. Commands this ``cdo`` does not
have (``overdue``, ``render`` before they exist) are reported as not available.
See bench/README.md.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

CHECKOUT = Path(__file__).resolve().parents[1]
# Rosters with something on every line (generate.py --variant): variant, label, exit codes.
FINDINGS_ROWS = [
    ("blank", "blank (cdo init)", {0, 1}),
    ("misspelt", "10% units misspelt", {1}),
    ("findings", "many findings", {1}),
]
AS_OF = "2024-06-30"  # a fixed date, so that overdue's output does not depend on the day
NA = "n/a (command not available)"

FLOOR_TYPER = "import typer"
# Help for every command must be as quick as the root's (issue 9): each against the floor.
START_UP = [
    "--help",
    "--version",
    "policy --help",
    "policy list --help",
    "policy show --help",
    "policy check --help",
    "schema roster --help",
    "init --help",
    "validate --help",
    "overdue --help",
    "render --help",
    "export --help",
]
# The cheapest way the roster can be read: ruamel.yaml's safe loader on the C parser.
FLOOR_LOAD = (
    "import sys\n"
    "from ruamel.yaml import YAML\n"
    "yaml = YAML(typ='safe', pure=False)\n"
    "assert yaml.Parser.__name__ == 'CParser', yaml.Parser\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    yaml.load(f)\n"
)


@dataclass
class Sample:
    """One process: wall time in seconds and peak resident memory in bytes."""

    seconds: float
    rss: int


@dataclass
class Row:
    """One line of the table."""

    label: str
    figure: str = ""
    floor: str = ""
    ratio: str = ""
    target: str = ""
    verdict: str = ""
    note: str = ""
    runs: int = 0


@dataclass
class Cdo:
    """How to start cdo, and the environment its processes get."""

    argv: list[str]
    env: dict[str, str]
    how: str
    module: str = ""
    cache: dict[str, tuple[int, str]] = field(default_factory=dict)

    def help_of(self, *command: str) -> tuple[int, str]:
        """Exit code and output of ``cdo COMMAND --help`` (cached)."""
        key = " ".join(command)
        if key not in self.cache:
            done = subprocess.run(
                [*self.argv, *command, "--help"],
                env=self.env,
                capture_output=True,
                text=True,
                encoding="utf-8",
                errors="replace",
                check=False,
            )
            self.cache[key] = (done.returncode, done.stdout + done.stderr)
        return self.cache[key]

    def has(self, command: str) -> bool:
        """True when this cdo has the command."""
        return self.help_of(command)[0] == 0


def run_once(
    argv: list[str], env: dict[str, str], cwd: Path, stdout: Path | None = None
) -> tuple[Sample, int]:
    """Run a fresh process; its wall time, its own peak RSS, and its exit code."""
    out = stdout.open("wb") if stdout else subprocess.DEVNULL
    try:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=out, stderr=subprocess.DEVNULL)
        # wait4 gives this child's own rusage (RUSAGE_CHILDREN would be a max over all).
        _pid, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)
    finally:
        if stdout:
            out.close()  # type: ignore[union-attr]
    return Sample(seconds, usage.ru_maxrss * 1024), proc.returncode


def check_run(argv: list[str], env: dict[str, str], cwd: Path, ok: set[int]) -> str | None:
    """Run once with output captured; an explanation if the exit code is not in ``ok``."""
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    if done.returncode in ok:
        return None
    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return f"exit {done.returncode}: {err[-1] if err else ''}"


def measure_pair(
    cmd: list[str],
    floor: list[str],
    env: dict[str, str],
    cwd: Path,
    runs: int,
) -> tuple[list[Sample], list[Sample]]:
    """Alternate the command and its floor ``runs`` times each."""
    mine: list[Sample] = []
    base: list[Sample] = []
    for _ in range(runs):
        base.append(run_once(floor, env, cwd)[0])
        mine.append(run_once(cmd, env, cwd)[0])
    return mine, base


def median(samples: list[Sample], key: Callable[[Sample], float]) -> float:
    """The median of one measure."""
    return statistics.median(key(s) for s in samples)


def seconds(value: float) -> str:
    """Seconds, or milliseconds below one second."""
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def megabytes(value: float) -> str:
    """Bytes as MB."""
    return f"{value / 1e6:.0f} MB"


def ratio_row(
    label: str, mine: list[Sample], base: list[Sample], limit: float, floor_name: str
) -> Row:
    """A row comparing median times against a floor, with the target ratio."""
    t_mine = median(mine, lambda s: s.seconds)
    t_base = median(base, lambda s: s.seconds)
    ratio = t_mine / t_base
    return Row(
        label,
        seconds(t_mine),
        f"{seconds(t_base)} ({floor_name})",
        f"{ratio:.2f}×",
        f"≤ {limit}×",
        "met" if ratio <= limit else "MISSED",
        runs=len(mine),
    )


def find_cdo(args: argparse.Namespace, base_env: dict[str, str], cwd: Path) -> Cdo:
    """The cdo to time: the checkout's module (default) or the installed script."""
    env = dict(base_env)
    if args.installed:
        beside = Path(sys.executable).parent / "cdo"
        script = str(beside) if beside.is_file() else shutil.which("cdo")
        if not script:
            sys.exit("run.py: no installed cdo found (beside this python or on PATH)")
        first = Path(script).read_bytes()[:200].split(b"\n")[0]
        python = first[2:].decode().strip() if first.startswith(b"#!") else sys.executable
        if not Path(python.split()[0]).is_file():  # e.g. a shell shim: ask this python
            python = sys.executable
        cdo = Cdo([script], env, f"installed script {script}")
        probe = [python.split()[0], "-c", "import cdo_cli; print(cdo_cli.__file__)"]
    else:
        source = Path(args.source).resolve()
        if not (source / "cdo_cli").is_dir():
            sys.exit(f"run.py: {source} has no cdo_cli package")
        env["PYTHONPATH"] = os.pathsep.join(
            p for p in (str(source), base_env.get("PYTHONPATH", "")) if p
        )
        cdo = Cdo([sys.executable, "-m", "cdo_cli"], env, f"{sys.executable} -m cdo_cli")
        probe = [sys.executable, "-c", "import cdo_cli; print(cdo_cli.__file__)"]
    done = subprocess.run(probe, env=env, cwd=cwd, capture_output=True, text=True, check=False)
    cdo.module = done.stdout.strip() or done.stderr.strip().splitlines()[-1]
    return cdo


def machine() -> str:
    """CPU, cores, memory, OS and Python, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = ""
    try:
        pages = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        memory = f", {pages / 2**30:.0f} GiB"
    except (ValueError, OSError, AttributeError):
        pass
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}"
    )


def versions(env: dict[str, str]) -> str:
    """Versions of the libraries that matter, and which YAML parser the floor uses."""
    code = (
        "import importlib.metadata as m\n"
        "from ruamel.yaml import YAML\n"
        "names = ['typer', 'pydantic', 'ruamel.yaml', 'ruamel.yaml.clib', 'phonenumbers',"
        " 'email-validator', 'python-docx']\n"
        "out = []\n"
        "for n in names:\n"
        "    try: out.append(f'{n} {m.version(n)}')\n"
        "    except m.PackageNotFoundError: pass\n"
        "print(', '.join(out) + '; floor parser: ' + YAML(typ='safe', pure=False).Parser.__name__)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    return done.stdout.strip() or done.stderr.strip()


def with_findings(roster: Path) -> Path:
    """A copy of the roster with a blank 职务 near its end and a bad phone (2 findings)."""
    lines = roster.read_text(encoding="utf-8").splitlines(keepends=True)
    titles = [i for i, line in enumerate(lines) if line.strip().startswith("title: 副局长")]
    del lines[titles[-3]]
    phones = [i for i, line in enumerate(lines) if line.strip().startswith("phone:")]
    indent = lines[phones[-5]].split("phone:")[0]
    lines[phones[-5]] = f"{indent}phone: 12345\n"
    out = roster.with_name("roster_findings.yaml")
    out.write_text("".join(lines), encoding="utf-8")
    return out


def count_documents(folder: Path) -> int:
    """.docx files written under ``folder``, counting those inside zip files too."""
    count = 0
    for path in folder.rglob("*"):
        if path.suffix.lower() == ".docx":
            count += 1
        elif path.is_file() and zipfile.is_zipfile(path) and path.suffix.lower() != ".docx":
            with zipfile.ZipFile(path) as archive:
                count += sum(n.lower().endswith(".docx") for n in archive.namelist())
    return count


def render_argv(cdo: Cdo, roster: Path, out: Path) -> list[str]:
    """``cdo render attachment2 --all --format docx`` with the options this cdo has."""
    text = cdo.help_of("render")[1]
    argv = [*cdo.argv, "render", "attachment2", "--all", "--format", "docx"]
    if "--roster" in text:
        argv += ["--roster", str(roster)]
    for option in ("--output-dir", "--out-dir", "--output", "-o"):
        if option in text.split():
            argv += [option, str(out / "out")]
            break
    return argv


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000, help="departments in the roster")
    parser.add_argument("--runs", type=int, default=7, help="runs of each fast command")
    parser.add_argument(
        "--slow-runs", type=int, default=5, help="runs of validate and overdue (and floor)"
    )
    parser.add_argument("--render-runs", type=int, default=3, help="runs of render --all")
    parser.add_argument(
        "--io-runs", type=int, default=3, help="runs of export, import, record (0: skip them)"
    )
    parser.add_argument("--dir", type=Path, help="where to write the data (default: a temp dir)")
    parser.add_argument(
        "--source", default=str(CHECKOUT), help="checkout whose cdo_cli to time (default: this)"
    )
    parser.add_argument(
        "--installed", action="store_true", help="time the installed cdo script instead"
    )
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)

    work = args.dir or Path(tempfile.mkdtemp(prefix="cdo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    roster = make_data(args.units, work, "full")
    size = roster.stat().st_size

    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base_env["NO_COLOR"] = "1"
    base_env["CDO_POLICIES"] = str(work / "policies")
    cdo = find_cdo(args, base_env, work)
    env = cdo.env

    print(f"machine:  {machine()}")
    print(f"libs:     {versions(env)}")
    print(f"cdo:      {cdo.how}")
    print(f"module:   {cdo.module}")
    print(
        f"data:     {roster} ({args.units + 2} units, {size / 1e6:.2f} MB), CDO_POLICIES={work}/policies"
    )
    print(
        "(PYTHONDONTWRITEBYTECODE is dropped so the first run caches bytecode, as an install does)"
    )
    print()

    py = sys.executable
    floor_typer = [py, "-c", FLOOR_TYPER]
    floor_load = [py, "-c", FLOOR_LOAD, str(roster)]
    rows: list[Row] = []

    def warm(cmd: list[str], ok: set[int]) -> str | None:
        return check_run(cmd, env, work, ok)

    # -- start-up
    for words in START_UP:
        cmd = [*cdo.argv, *words.split()]
        problem = warm(cmd, {0}) or warm(floor_typer, {0})
        if problem:
            rows.append(Row(f"cdo {words}", note=problem))
            continue
        mine, base = measure_pair(cmd, floor_typer, env, work, args.runs)
        rows.append(ratio_row(f"cdo {words}", mine, base, 1.3, "import typer"))

    # -- validate, and its memory
    cmd = [*cdo.argv, "validate", str(roster)]
    problem = warm(cmd, {0}) or warm(floor_load, {0})
    if problem:
        rows.append(Row("cdo validate", note=problem))
    else:
        mine, base = measure_pair(cmd, floor_load, env, work, args.slow_runs)
        rows.append(ratio_row("cdo validate", mine, base, 1.3, "C safe load"))
        rows.append(rss_row("validate peak RSS", mine, base, size))

    # -- validate with something to report: the positions are looked up too
    flawed = with_findings(roster)
    cmd = [*cdo.argv, "validate", str(flawed)]
    problem = warm(cmd, {1}) or warm(floor_load, {0})
    if problem:
        rows.append(Row("cdo validate, 2 findings", note=problem))
    else:
        mine, base = measure_pair(cmd, floor_load, env, work, args.slow_runs)
        row = ratio_row("cdo validate, 2 findings", mine, base, 1.3, "C safe load")
        row.target, row.verdict, row.note = "(no target)", "", "an error and a warning"
        rows.append(row)

    # -- rosters with many findings: each cost once grew faster than the file
    for variant, label, ok in FINDINGS_ROWS:
        path = make_data(args.units, work, variant)
        for fmt in ("text", "json") if variant == "findings" else ("text",):
            cmd = [*cdo.argv, "validate", str(path), "--format", fmt]
            floor = [py, "-c", FLOOR_LOAD, str(path)]
            what = f"cdo validate, {label}" + (" --format json" if fmt == "json" else "")
            problem = warm(cmd, ok) or warm(floor, {0})
            if problem:
                rows.append(Row(what, note=problem))
                continue
            mine, base = measure_pair(cmd, floor, env, work, args.slow_runs)
            row = ratio_row(what, mine, base, 1.3, "its C safe load")
            row.target, row.verdict = "(no target)", ""
            row.note = count_findings(cdo, path, work)
            rows.append(row)
            rows.append(rss_row("  peak RSS", mine, base, path.stat().st_size))

    # -- overdue
    if not cdo.has("overdue"):
        rows.append(Row("cdo overdue --format json", NA))
    else:
        text = cdo.help_of("overdue")[1]
        cmd = [*cdo.argv, "overdue", "--format", "json"]
        if "--roster" in text:
            cmd += ["--roster", str(roster)]
        if "--as-of" in text:
            cmd += ["--as-of", AS_OF]
        problem = warm(cmd, {0, 1}) or warm(floor_load, {0})
        if problem:
            rows.append(Row("cdo overdue --format json", note=problem))
        else:
            mine, base = measure_pair(cmd, floor_load, env, work, args.slow_runs)
            row = ratio_row("cdo overdue --format json", mine, base, 1.5, "C safe load")
            row.note = f"--as-of {AS_OF}" if "--as-of" in cmd else ""
            rows.append(row)

    # -- render
    if not cdo.has("render"):
        rows.append(Row("cdo render attachment2 --all", NA))
    else:
        rows.append(render_row(cdo, roster, work, args.render_runs))

    # -- Word and Excel in and out, and one recorded change: bench/io_bench.py
    if args.io_runs > 0:
        from io_bench import io_rows

        rows += io_rows(cdo, roster, work, args.io_runs)

    print_table(rows, args.markdown)
    return 0


def make_data(units: int, work: Path, variant: str) -> Path:
    """The roster (and scheme) generate.py writes, made in a child process.

    Not here: on Linux a child's peak memory counts the parent's at the fork, so this
    process must stay small for the figures to be the children's own.
    """
    generate = Path(__file__).resolve().with_name("generate.py")
    argv = [sys.executable, str(generate), "--units", str(units), "--out", str(work)]
    subprocess.run([*argv, "--variant", variant], check=True, capture_output=True)
    return work / ("roster.yaml" if variant == "full" else f"roster_{variant}.yaml")


def rss_row(label: str, mine: list[Sample], base: list[Sample], size: int) -> Row:
    """Median peak memory against the floor's, what is added as a multiple of the file."""
    r_mine = median(mine, lambda s: s.rss)
    r_base = median(base, lambda s: s.rss)
    added = (r_mine - r_base) / size
    return Row(
        label,
        megabytes(r_mine),
        f"{megabytes(r_base)} (C safe load)",
        f"{(r_mine - r_base) / 1e6:+.0f} MB = {added:+.1f}× file",
        "added < 10× file",
        "met" if added < 10 else "MISSED",
        note=f"file {size / 1e6:.2f} MB",
        runs=len(mine),
    )


def count_findings(cdo: Cdo, roster: Path, work: Path) -> str:
    """How many errors and warnings validate reports on a roster, for the note."""
    done = subprocess.run(
        [*cdo.argv, "validate", str(roster), "--format", "json"],
        env=cdo.env,
        cwd=work,
        capture_output=True,
        check=False,
    )
    try:
        data = json.loads(done.stdout)
        return f"{data['errors']} errors, {data['warnings']} warnings"
    except (ValueError, KeyError, TypeError):
        return ""


def render_row(cdo: Cdo, roster: Path, work: Path, runs: int) -> Row:
    """Documents per second of ``render attachment2 --all --format docx``."""
    label = "cdo render attachment2 --all"
    times: list[float] = []
    docs = 0
    for i in range(runs + 1):  # the first run is a warm-up
        out = Path(tempfile.mkdtemp(prefix="render-", dir=work))
        (out / "roster.yaml").symlink_to(roster)
        argv = render_argv(cdo, roster, out)
        sample, code = run_once(argv, cdo.env, out, stdout=out / "stdout.bin")
        if code != 0:
            problem = check_run(argv, cdo.env, out, {0})
            shutil.rmtree(out, ignore_errors=True)
            return Row(label, note=problem or f"exit {code}")
        docs = count_documents(out)
        shutil.rmtree(out, ignore_errors=True)
        if i:
            times.append(sample.seconds)
    if not docs:
        return Row(label, note="no .docx found in its output")
    rate = docs / statistics.median(times)
    return Row(
        label,
        f"{rate:.0f} docx/s",
        "",
        "",
        "≥ 150 docx/s",
        "met" if rate >= 150 else "MISSED",
        note=f"{docs} documents in {seconds(statistics.median(times))}",
        runs=len(times),
    )


def print_table(rows: list[Row], markdown: bool) -> None:
    """The table of figures and ratios."""
    head = ["what", "cdo (median)", "floor (median)", "ratio", "target", "", "runs", "note"]
    body = [
        [r.label, r.figure, r.floor, r.ratio, r.target, r.verdict, str(r.runs or ""), r.note]
        for r in rows
    ]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for line in body:
            print("| " + " | ".join(line) + " |")
        return
    widths = [max(_width(x) for x in col) for col in zip(head, *body, strict=True)]
    for line in [head, *body]:
        print("  ".join(_pad(x, w) for x, w in zip(line, widths, strict=True)).rstrip())


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal; count them so that columns align.
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


if __name__ == "__main__":
    sys.exit(main())
