"""Time ``cdo`` at province scale, each figure against floors measured in the same run,
and each row's growth from N to 4N units.

    python bench/run.py                      # N = 5000 and 4N = 20000, this checkout
    python bench/run.py --units 500 --runs 3 # quicker
    python bench/run.py --no-growth          # N only
    python bench/run.py --installed          # the ``cdo`` script instead of the checkout

Every figure is the median of several fresh processes; each command and its floors are
run in turn, so that a noisy machine slows them alike. CPU time (user + system) is
reported beside the wall time: a busy machine stretches the wall time, not the CPU
time, so growth is given for both. Commands this ``cdo`` does not have are reported as
not available. See bench/README.md.

A row is a :class:`Spec` in :data:`SPECS` (or :func:`help_specs`): a label, the command
for a data set, the floors to run beside it, its target. Adding a command is adding one.
"""

from __future__ import annotations

import argparse
import contextlib
import math
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
AS_OF = "2024-06-30"  # a fixed date, so that overdue's output does not depend on the day
NA = "n/a (command not available)"
GROWTH_LIMIT = 1.15  # an exponent above this from N to 4N is a cliff (issue 13)

FLOOR_TYPER = "import typer"
# ruamel.yaml's safe loader on the C parser: the roster read into Python objects.
FLOOR_LOAD = (
    "import sys\n"
    "from ruamel.yaml import YAML\n"
    "yaml = YAML(typ='safe', pure=False)\n"
    "assert yaml.Parser.__name__ == 'CParser', yaml.Parser\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    yaml.load(f)\n"
)
# The least any reader of YAML in Python does: the C parser's events, nothing built.
FLOOR_EVENTS = (
    "import sys\n"
    "from ruamel.yaml import YAML\n"
    "yaml = YAML(typ='safe', pure=False)\n"
    "assert yaml.Parser.__name__ == 'CParser', yaml.Parser\n"
    "with open(sys.argv[1], encoding='utf-8') as f:\n"
    "    for _event in yaml.parse(f):\n"
    "        pass\n"
)
# What Python's own zipfile takes to write the same documents again (read, re-deflate,
# write each to a new file): render's floor.
FLOOR_REZIP = (
    "import sys, zipfile\n"
    "from pathlib import Path\n"
    "out = Path(sys.argv[2])\n"
    "out.mkdir()\n"
    "for path in sorted(Path(sys.argv[1]).glob('*.docx')):\n"
    "    with zipfile.ZipFile(path) as src:\n"
    "        members = [(i, src.read(i)) for i in src.infolist()]\n"
    "    with zipfile.ZipFile(out / path.name, 'x', zipfile.ZIP_DEFLATED) as dst:\n"
    "        for info, blob in members:\n"
    "            dst.writestr(info, blob, compress_type=zipfile.ZIP_DEFLATED)\n"
)
SAFE, EVENTS, TYPER, REZIP = "C safe load", "C events", "import typer", "zipfile re-zip"


@dataclass
class Sample:
    """One process: wall time in seconds, peak resident memory in bytes, CPU seconds."""

    seconds: float
    rss: int
    cpu: float = 0.0


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
    floor2: str = ""
    growth: str = ""


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
        return self.help_of(*command.split())[0] == 0

    def commands(self, *group: str) -> list[str]:
        """Every command of ``cdo`` (or of a group), groups' commands included."""
        code, text = self.help_of(*group)
        if code != 0:
            return []
        out: list[str] = []
        listing = False
        for line in text.splitlines():
            if line.strip() in ("命令：", "Commands:"):
                listing = True
                continue
            if listing and line.startswith("  ") and line.strip():
                name = line.split()[0]
                words = [*group, name]
                sub = self.help_of(*words)[1]
                nested = "命令：" in sub or "Commands:" in sub
                out += self.commands(*words) if nested else [" ".join(words)]
            elif listing and line.strip():
                listing = False
        return out


@dataclass
class Data:
    """The data of one size: the bench scheme, the roster and its variants."""

    units: int
    work: Path
    roster: Path
    scheme: Path
    variants: dict[str, Path] = field(default_factory=dict)

    def path(self, variant: str) -> Path:
        """The roster of a variant (``full`` is the roster itself)."""
        return self.roster if variant == "full" else self.variants[variant]


@dataclass
class Spec:
    """A row: the command for a data set (None: not available), its floors, its target.

    ``floors`` maps a floor's name to its command; ``target`` is (floor name, the most
    times that floor's time); ``fresh``: run each time in a new empty folder (for
    commands that write files there).
    """

    label: str
    command: Callable[[Cdo, Data, Path], list[str] | None]
    floors: Callable[[Data, Path], dict[str, list[str]]]
    ok: frozenset[int] = frozenset({0})
    slow: bool = True
    target: tuple[str, float] | None = None
    rss: bool = False
    note: Callable[[Cdo, Data], str] | None = None
    fresh: bool = False
    reads: Callable[[Data], Path] = lambda data: data.roster  # for the memory row


@dataclass
class Measured:
    """A row's samples at one size: the command's and each floor's (or why there are none)."""

    mine: list[Sample] = field(default_factory=list)
    floors: dict[str, list[Sample]] = field(default_factory=dict)
    problem: str = ""
    note: str = ""
    size: int = 0  # bytes of the file the row reads, for the memory row


# ---------------------------------------------------------------- running


def run_once(
    argv: list[str], env: dict[str, str], cwd: Path, stdout: Path | None = None
) -> tuple[Sample, int]:
    """Run a fresh process; its wall time, its own peak RSS and CPU time, its exit code."""
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
    cpu = usage.ru_utime + usage.ru_stime
    return Sample(seconds, usage.ru_maxrss * 1024, cpu), proc.returncode


def check_run(argv: list[str], env: dict[str, str], cwd: Path, ok: set[int]) -> str | None:
    """Run once with output captured; an explanation if the exit code is not in ``ok``."""
    done = subprocess.run(argv, env=env, cwd=cwd, capture_output=True, check=False)
    if done.returncode in ok:
        return None
    err = done.stderr.decode("utf-8", "replace").strip().splitlines()
    return f"exit {done.returncode}: {err[-1] if err else ''}"


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


def measure(spec: Spec, cdo: Cdo, data: Data, runs: int) -> Measured:
    """Run a row's command and its floors in turn, ``runs`` times each."""
    scratch = data.work / "scratch"
    shutil.rmtree(scratch, ignore_errors=True)
    scratch.mkdir(parents=True)
    cmd = spec.command(cdo, data, scratch)
    if cmd is None:
        return Measured(problem=NA)
    floors = spec.floors(data, scratch)
    result = Measured(floors={name: [] for name in floors})

    def cwd() -> Path:
        if not spec.fresh:
            return scratch
        shutil.rmtree(scratch, ignore_errors=True)
        scratch.mkdir()
        return scratch

    problem = check_run(cmd, cdo.env, cwd(), set(spec.ok))
    for floor in floors.values():
        problem = problem or check_run(floor, cdo.env, cwd(), {0})
    if problem:
        return Measured(problem=problem)
    for _ in range(runs):
        for name, floor in floors.items():
            result.floors[name].append(run_once(floor, cdo.env, cwd())[0])
        sample, code = run_once(cmd, cdo.env, cwd())
        if code not in spec.ok:
            return Measured(problem=f"exit {code}")
        result.mine.append(sample)
    result.note = spec.note(cdo, data) if spec.note else ""
    result.size = spec.reads(data).stat().st_size
    return result


# ---------------------------------------------------------------- the rows


def _roster_floors(variant: str) -> Callable[[Data, Path], dict[str, list[str]]]:
    def floors(data: Data, _cwd: Path) -> dict[str, list[str]]:
        path = str(data.path(variant))
        return {
            SAFE: [sys.executable, "-c", FLOOR_LOAD, path],
            EVENTS: [sys.executable, "-c", FLOOR_EVENTS, path],
        }

    return floors


def _scheme_floors(data: Data, _cwd: Path) -> dict[str, list[str]]:
    path = str(data.scheme)
    return {
        SAFE: [sys.executable, "-c", FLOOR_LOAD, path],
        EVENTS: [sys.executable, "-c", FLOOR_EVENTS, path],
    }


def _typer_floor(_data: Data, _cwd: Path) -> dict[str, list[str]]:
    return {TYPER: [sys.executable, "-c", FLOOR_TYPER]}


def _validate(variant: str, fmt: str = "text") -> Callable[[Cdo, Data, Path], list[str] | None]:
    def command(cdo: Cdo, data: Data, _cwd: Path) -> list[str] | None:
        argv = [*cdo.argv, "validate", str(data.path(variant))]
        return argv + (["--format", fmt] if fmt != "text" else [])

    return command


def _overdue(cdo: Cdo, data: Data, _cwd: Path) -> list[str] | None:
    if not cdo.has("overdue"):
        return None
    text = cdo.help_of("overdue")[1]
    argv = [*cdo.argv, "overdue", "--format", "json"]
    if "--roster" in text:
        argv += ["--roster", str(data.roster)]
    if "--as-of" in text:
        argv += ["--as-of", AS_OF]
    return argv


def _init(cdo: Cdo, data: Data, cwd: Path) -> list[str] | None:
    if not cdo.has("init"):
        return None
    return [*cdo.argv, "init", "--scheme", "bench", "-o", str(cwd / "roster.yaml")]


def _policy_check(cdo: Cdo, data: Data, _cwd: Path) -> list[str] | None:
    if not cdo.has("policy check"):
        return None
    return [*cdo.argv, "policy", "check", str(data.scheme)]


def _findings_note(variant: str) -> Callable[[Cdo, Data], str]:
    def note(cdo: Cdo, data: Data) -> str:
        return count_findings(cdo, data.path(variant), data.work)

    return note


# Rosters with something on every line (generate.py --variant): variant, label, exit codes.
FINDINGS_ROWS = [
    ("blank", "blank (cdo init)", frozenset({0, 1})),
    ("misspelt", "10% units misspelt", frozenset({1})),
    ("findings", "many findings", frozenset({1})),
]


def data_specs() -> list[Spec]:
    """The rows that read the bench data, in the table's order."""
    specs = [
        Spec("cdo validate", _validate("full"), _roster_floors("full"), target=(SAFE, 1.3),
             rss=True),
        Spec("cdo validate, 2 findings", _validate("flawed"), _roster_floors("flawed"),
             ok=frozenset({1}), note=lambda _c, _d: "an error and a warning"),
    ]  # fmt: skip
    for variant, label, ok in FINDINGS_ROWS:
        for fmt in ("text", "json") if variant == "findings" else ("text",):
            suffix = " --format json" if fmt == "json" else ""
            specs.append(
                Spec(
                    f"cdo validate, {label}{suffix}",
                    _validate(variant, fmt),
                    _roster_floors(variant),
                    ok=ok,
                    rss=True,
                    note=_findings_note(variant),
                    reads=lambda data, variant=variant: data.path(variant),  # type: ignore[misc]
                )
            )
    specs += [
        Spec("cdo overdue --format json", _overdue, _roster_floors("full"), ok=frozenset({0, 1}),
             target=(SAFE, 1.5), rss=True, note=lambda _c, _d: f"--as-of {AS_OF}"),
        Spec("cdo init --scheme bench", _init, _scheme_floors, fresh=True, rss=True,
             note=lambda _c, d: f"scheme of {d.units + 2} units", reads=lambda d: d.scheme),
        Spec("cdo policy check bench.yaml", _policy_check, _scheme_floors, ok=frozenset({0, 1})),
        # cdo report: one Spec here, with its command and the roster's floors.
    ]  # fmt: skip
    return specs


def help_specs(cdo: Cdo) -> list[Spec]:
    """``cdo --help``, ``cdo --version`` and ``cdo COMMAND --help`` for every command."""
    words = ["--help", "--version", *(f"{c} --help" for c in cdo.commands())]
    specs: list[Spec] = []
    for text in words:

        def command(cdo: Cdo, _data: Data, _cwd: Path, text: str = text) -> list[str]:
            return [*cdo.argv, *text.split()]

        specs.append(Spec(f"cdo {text}", command, _typer_floor, slow=False, target=(TYPER, 1.3)))
    return specs


# ---------------------------------------------------------------- the table


def growth_of(first: Measured, last: Measured, factor: float) -> tuple[float, float] | None:
    """The exponent k (time ∝ N^k) of the median wall and CPU times between two sizes."""
    if not first.mine or not last.mine:
        return None
    wall = median(last.mine, lambda s: s.seconds) / median(first.mine, lambda s: s.seconds)
    cpu = median(last.mine, lambda s: s.cpu) / median(first.mine, lambda s: s.cpu)
    return math.log(wall) / math.log(factor), math.log(cpu) / math.log(factor)


def growth_text(k: tuple[float, float] | None) -> str:
    """``N^1.02 (CPU N^0.98)``, flagged when the CPU time's is above the limit.

    The CPU time's: on a shared machine the wall time of a long run waits for other
    processes more than a short one's does, which reads as growth that is not there.
    """
    if k is None:
        return ""
    flag = " CLIFF" if k[1] > GROWTH_LIMIT else ""
    return f"N^{k[0]:.2f} (CPU N^{k[1]:.2f}){flag}"


def table_rows(spec: Spec, at_n: Measured, at_4n: Measured | None, factor: float) -> list[Row]:
    """The row (and its memory row) for a spec measured at N, and its growth to 4N."""
    if at_n.problem:
        return [Row(spec.label, at_n.problem if at_n.problem == NA else "", note=at_n.problem)]
    t_mine = median(at_n.mine, lambda s: s.seconds)
    c_mine = median(at_n.mine, lambda s: s.cpu)
    ratios: list[str] = []
    verdict = ""
    for name, samples in at_n.floors.items():
        t_floor = median(samples, lambda s: s.seconds)
        ratios.append(f"{seconds(t_floor)} = {t_mine / t_floor:.2f}× ({name})")
        if spec.target and spec.target[0] == name:
            verdict = "met" if t_mine / t_floor <= spec.target[1] else "MISSED"
    k = growth_of(at_n, at_4n, factor) if at_4n is not None and not at_4n.problem else None
    row = Row(
        spec.label,
        f"{seconds(t_mine)} (CPU {seconds(c_mine)})",
        ratios[0] if ratios else "",
        target=f"≤ {spec.target[1]}× {spec.target[0]}" if spec.target else "",
        verdict=verdict,
        note=at_n.note,
        runs=len(at_n.mine),
        floor2=ratios[1] if len(ratios) > 1 else "",
        growth=growth_text(k),
    )
    rows = [row]
    if spec.rss:
        rows.append(rss_row(at_n, at_4n, factor))
    return rows


def rss_row(at_n: Measured, at_4n: Measured | None, factor: float) -> Row:
    """Peak memory against the C safe load's, what is added as a multiple of the file."""
    r_mine = median(at_n.mine, lambda s: s.rss)
    base = at_n.floors.get(SAFE) or next(iter(at_n.floors.values()))
    r_base = median(base, lambda s: s.rss)
    size = at_n.size or 1
    added = (r_mine - r_base) / size
    growth = ""
    if at_4n is not None and at_4n.mine:
        k = math.log(median(at_4n.mine, lambda s: s.rss) / r_mine) / math.log(factor)
        growth = f"N^{k:.2f}"
    return Row(
        "  peak RSS",
        megabytes(r_mine),
        f"{megabytes(r_base)} ({SAFE})",
        f"{(r_mine - r_base) / 1e6:+.0f} MB = {added:+.1f}× file",
        "added < 10× file",
        "met" if added < 10 else "MISSED",
        note=f"file {size / 1e6:.2f} MB",
        runs=len(at_n.mine),
        growth=growth,
    )


def print_table(rows: list[Row], markdown: bool) -> None:
    """The table of figures and ratios."""
    head = ["what", "cdo (median)", "floor", "floor 2", "target", "", "growth N→4N", "runs",
            "note"]  # fmt: skip
    body = [
        [r.label, r.figure, _ratio(r), r.floor2, r.target, r.verdict, r.growth,
         str(r.runs or ""), r.note]
        for r in rows
    ]  # fmt: skip
    keep = [i for i in range(len(head)) if i == 0 or any(line[i] for line in body)]
    head = [head[i] for i in keep]
    body = [[line[i] for i in keep] for line in body]
    if markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for line in body:
            print("| " + " | ".join(x.replace("|", "\\|") for x in line) + " |")
        return
    widths = [max(_width(x) for x in col) for col in zip(head, *body, strict=True)]
    for line in [head, *body]:
        print("  ".join(_pad(x, w) for x, w in zip(line, widths, strict=True)).rstrip())


def _ratio(row: Row) -> str:
    # Rows made by ratio_row (io_bench.py) keep the floor and the ratio apart.
    if row.floor and row.ratio and "=" not in row.floor:
        return f"{row.floor.split(' (')[0]} = {row.ratio} ({row.floor.split(' (', 1)[-1][:-1]})"
    return row.floor or row.ratio


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal; count them so that columns align.
    return sum(2 if ord(c) > 0x2E7F else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


# ---------------------------------------------------------------- data and setup


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
    load = ""
    with contextlib.suppress(OSError, AttributeError):
        load = "; load average {:.1f} {:.1f} {:.1f}".format(*os.getloadavg())
    return (
        f"{cpu}, {os.cpu_count()} cores{memory}; {platform.system()} {platform.release()}; "
        f"Python {platform.python_version()}{load}"
    )


def versions(env: dict[str, str]) -> str:
    """Versions of the libraries that matter, and which YAML parser the floor uses."""
    code = (
        "import importlib.metadata as m\n"
        "from ruamel.yaml import YAML\n"
        "names = ['typer', 'pydantic', 'ruamel.yaml', 'ruamel.yaml.clib', 'phonenumbers',"
        " 'email-validator', 'python-docx', 'lxml']\n"
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
    out = roster.with_name("roster_flawed.yaml")
    out.write_text("".join(lines), encoding="utf-8")
    return out


def make_data(units: int, work: Path, variant: str, env: dict[str, str]) -> Path:
    """The roster (and scheme) generate.py writes, made in a child process.

    Not here: on Linux a child's peak memory counts the parent's at the fork, so this
    process must stay small for the figures to be the children's own.
    """
    generate = Path(__file__).resolve().with_name("generate.py")
    argv = [sys.executable, str(generate), "--units", str(units), "--out", str(work)]
    subprocess.run([*argv, "--variant", variant], check=True, capture_output=True, env=env)
    return work / ("roster.yaml" if variant == "full" else f"roster_{variant}.yaml")


def data_set(units: int, work: Path, env: dict[str, str]) -> Data:
    """Every roster the rows read, for ``units`` departments, in ``work``."""
    work.mkdir(parents=True, exist_ok=True)
    roster = make_data(units, work, "full", env)
    data = Data(units, work, roster, work / "policies" / "bench.yaml")
    for variant, _label, _ok in FINDINGS_ROWS:
        data.variants[variant] = make_data(units, work, variant, env)
    # A line edit of the roster, in a child too.
    here = str(Path(__file__).resolve())
    subprocess.run([sys.executable, here, "flawed", str(roster)], check=True, env=env)
    data.variants["flawed"] = roster.with_name("roster_flawed.yaml")
    return data


_COUNT = (
    "import json, sys\n"
    "data = json.load(open(sys.argv[1], encoding='utf-8'))\n"
    "print(f\"{data['errors']} errors, {data['warnings']} warnings\")\n"
)


def count_findings(cdo: Cdo, roster: Path, work: Path) -> str:
    """How many errors and warnings validate reports on a roster, for the note.

    Read by a child process: the report is megabytes of JSON, and this process must stay
    small (a child's peak memory counts the parent's at the fork).
    """
    report = work / "findings.json"
    with report.open("wb") as out:
        subprocess.run(
            [*cdo.argv, "validate", str(roster), "--format", "json"],
            env=cdo.env, cwd=work, stdout=out, stderr=subprocess.DEVNULL, check=False,
        )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _COUNT, str(report)], capture_output=True, text=True, check=False
    )
    report.unlink(missing_ok=True)
    return done.stdout.strip()


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


@dataclass
class Rendered:
    """``render --all`` at one size: documents, the median times, the re-zip floor's."""

    docs: int = 0
    wall: float = 0.0
    cpu: float = 0.0
    floor: float = 0.0
    runs: int = 0
    problem: str = ""


def measure_render(cdo: Cdo, data: Data, runs: int, leftovers: list[Path]) -> Rendered:
    """``render attachment2 --all`` into a fresh folder, against zipfile re-zipping its
    documents into another (alternately; the first of each is a warm-up).

    The folders are added to ``leftovers``, to be removed when everything is measured:
    a file system that has just freed thousands of inodes can be slow to hand out new
    ones (ext4 without a journal passes over inodes freed in the last half minute, which
    took 0.3 ms a file here), and that would be the bench's cost, not the command's.
    """
    if not cdo.has("render"):
        return Rendered(problem=NA)
    walls: list[float] = []
    cpus: list[float] = []
    floors: list[float] = []
    docs = 0
    for i in range(runs + 1):
        out = Path(tempfile.mkdtemp(prefix="render-", dir=data.work))
        (out / "roster.yaml").symlink_to(data.roster)
        argv = render_argv(cdo, data.roster, out)
        sample, code = run_once(argv, cdo.env, out, stdout=out / "stdout.bin")
        leftovers.append(out)
        if code != 0:
            problem = check_run(argv, cdo.env, out, {0})
            return Rendered(problem=problem or f"exit {code}")
        docs = count_documents(out)
        rezip = [sys.executable, "-c", FLOOR_REZIP, str(out / "out"), str(out / "rezip")]
        floor, floor_code = run_once(rezip, cdo.env, out)
        if i:
            walls.append(sample.seconds)
            cpus.append(sample.cpu)
            if floor_code == 0:
                floors.append(floor.seconds)
    if not docs:
        return Rendered(problem="no .docx found in its output")
    return Rendered(
        docs,
        statistics.median(walls),
        statistics.median(cpus),
        statistics.median(floors) if floors else 0.0,
        len(walls),
    )


def render_row(at_n: Rendered, at_4n: Rendered | None, factor: float) -> Row:
    """Documents per second, against zipfile re-zipping the same documents."""
    label = "cdo render attachment2 --all"
    if at_n.problem:
        return Row(label, at_n.problem if at_n.problem == NA else "", note=at_n.problem)
    rate = at_n.docs / at_n.wall
    growth = ""
    if at_4n is not None and not at_4n.problem:
        k_wall = math.log(at_4n.wall / at_n.wall) / math.log(factor)
        k_cpu = math.log(at_4n.cpu / at_n.cpu) / math.log(factor)
        growth = growth_text((k_wall, k_cpu))
    floor = ""
    if at_n.floor:
        floor = f"{at_n.docs / at_n.floor:.0f} docx/s = {at_n.wall / at_n.floor:.2f}× ({REZIP})"
    return Row(
        label,
        f"{rate:.0f} docx/s (CPU {at_n.docs / at_n.cpu:.0f} docx/s)",
        floor,
        target="≥ 1000 docx/s",
        verdict="met" if rate >= 1000 else "MISSED",
        note=f"{at_n.docs} documents in {seconds(at_n.wall)}",
        runs=at_n.runs,
        growth=growth,
    )


# ---------------------------------------------------------------- main


def main(argv: list[str] | None = None) -> int:
    """Command line: see the module docstring."""
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["flawed"]:  # the child that makes roster_flawed.yaml
        with_findings(Path(argv[1]))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000, help="departments in the roster")
    parser.add_argument("--runs", type=int, default=7, help="runs of each fast command")
    parser.add_argument(
        "--slow-runs", type=int, default=5, help="runs of each command that reads the data"
    )
    parser.add_argument(
        "--growth-runs", type=int, default=3, help="runs of each command at 4N (0: no growth)"
    )
    parser.add_argument("--no-growth", action="store_true", help="measure at N only")
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
    parser.add_argument("--only", help="only the rows whose label contains this text")
    args = parser.parse_args(argv)
    factor = 4
    growth = not args.no_growth and args.growth_runs > 0

    work = args.dir or Path(tempfile.mkdtemp(prefix="cdo-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    base_env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    base_env["NO_COLOR"] = "1"
    # Parsed schemes are cached between runs (cdo_cli/scheme_cache.py): a cache of this
    # run's own, filled by the first (unmeasured) run of each command, as a user's is.
    base_env["CDO_CACHE_DIR"] = str(work / "cache")
    shutil.rmtree(work / "cache", ignore_errors=True)
    sizes = [args.units, args.units * factor] if growth else [args.units]
    data = {n: data_set(n, work / str(n), base_env) for n in sizes}
    small = data[args.units]
    env = {**base_env, "CDO_POLICIES": str(small.work / "policies")}
    cdo = find_cdo(args, env, small.work)
    size = small.roster.stat().st_size

    print(f"machine:  {machine()}")
    print(f"libs:     {versions(cdo.env)}")
    print(f"cdo:      {cdo.how}")
    print(f"module:   {cdo.module}")
    print(
        f"data:     N = {args.units} ({args.units + 2} units, roster {size / 1e6:.2f} MB)"
        + (f", growth to 4N = {args.units * factor}" if growth else "")
        + f"; {work}"
    )
    print(
        "(PYTHONDONTWRITEBYTECODE is dropped so the first run caches bytecode, as an install does)"
    )
    print()

    rows: list[Row] = []
    specs = help_specs(cdo) + data_specs()
    if args.only:
        specs = [s for s in specs if args.only in s.label]
    for spec in specs:
        measured: dict[int, Measured] = {}
        for n in sizes:
            cdo.env["CDO_POLICIES"] = str(data[n].work / "policies")
            runs = (args.slow_runs if spec.slow else args.runs) if n == args.units else (
                args.growth_runs
            )  # fmt: skip
            measured[n] = measure(spec, cdo, data[n], runs)
        at_4n = measured.get(args.units * factor) if growth else None
        rows += table_rows(spec, measured[args.units], at_4n, factor)
        print(f"  measured: {spec.label}", file=sys.stderr)
    cdo.env["CDO_POLICIES"] = str(small.work / "policies")

    leftovers: list[Path] = []  # render's folders, removed at the end (measure_render)
    if not args.only or args.only in "cdo render attachment2 --all":
        rendered = {}
        for n in sizes:
            cdo.env["CDO_POLICIES"] = str(data[n].work / "policies")
            runs = args.render_runs if n == args.units else max(1, args.growth_runs - 1)
            rendered[n] = measure_render(cdo, data[n], runs, leftovers)
        cdo.env["CDO_POLICIES"] = str(small.work / "policies")
        at_4n_render = rendered.get(args.units * factor) if growth else None
        rows.append(render_row(rendered[args.units], at_4n_render, factor))

    # -- Word and Excel in and out, and one recorded change: bench/io_bench.py
    if args.io_runs > 0 and not args.only:
        from io_bench import io_rows

        rows += io_rows(cdo, small.roster, small.work, args.io_runs)

    for folder in leftovers:
        shutil.rmtree(folder, ignore_errors=True)
    print_table(rows, args.markdown)
    cliffs = [r.label for r in rows if "CLIFF" in r.growth]
    if growth:
        print(f"\nCPU time growth N → 4N above N^{GROWTH_LIMIT}: {', '.join(cliffs) or 'none'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
