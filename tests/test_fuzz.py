"""Property: whatever a scheme or roster file holds, every command ends with 0, 1 or 2.

Hypothesis mutates the shipped schemes and the rosters ``cdo init`` writes (blank and
filled), then runs a few commands on each in-process: none may raise (other than exiting),
exit with another code, or hang. The inputs and commands are in fuzz_cases.py; one case of
each failure found so far (``found()``) runs first on every run.

The default run is derandomized (the same examples every time, so no flaky failures),
keeps no example database, and writes nothing into the checkout (conftest.py sends
Hypothesis's caches to the temporary folder). A longer run draws new examples each time::

    CDO_FUZZ_EXAMPLES=5000 python -m pytest tests/test_fuzz.py

``CDO_FUZZ_SEED=N`` repeats a long run's examples. The second property runs today's
surfaces (report, 述职报告/评价表 with --year and --weights, scores read back, --as-of)
on the same mutated files, with a weights file and a scores table of odd cells beside them.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, example, given, seed, settings

from fuzz_cases import Mutated, cases, describe, found, report_cases, run_case, score_cases

EXAMPLES = int(os.environ.get("CDO_FUZZ_EXAMPLES", "0"))
SEED = os.environ.get("CDO_FUZZ_SEED")


def _seeded(test):  # type: ignore[no-untyped-def]
    return seed(int(SEED))(test) if SEED else test


def _found_before(test):  # type: ignore[no-untyped-def]
    for case in reversed(found()):
        test = example(case)(test)
    return test


@_seeded
@settings(
    # About 10 s of CPU: most commands take 0.01-0.3 s in-process; an example runs one to three.
    max_examples=EXAMPLES or 100,
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    # The inputs are the shipped files, a few tens of kB each, not small generated data.
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)
@given(cases())
@_found_before
def test_fuzz_commands_end_with_a_known_exit_code(case: tuple[Mutated, list[list[str]]]) -> None:
    file, lines = case
    failure = run_case(file, lines)
    assert failure is None, describe(file, failure)


@_seeded
@settings(
    # About 2 s: most lines stop early (an odd date, a roster made invalid); a report or a
    # folder of 述职报告 takes up to a second in-process.
    max_examples=EXAMPLES or 40,
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)
@given(report_cases())
def test_fuzz_reports_and_scores_end_with_a_known_exit_code(
    case: tuple[Mutated, list[list[str]]],
) -> None:
    file, lines = case
    failure = run_case(file, lines)
    assert failure is None, describe(file, failure)


@_seeded
@settings(
    max_examples=EXAMPLES or 30,  # about 2 s
    derandomize=not EXAMPLES,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    print_blob=False,
)
@given(score_cases())
def test_fuzz_scores_and_weights_end_with_a_known_exit_code(
    case: tuple[Mutated, list[list[str]]],
) -> None:
    file, lines = case
    failure = run_case(file, lines)
    assert failure is None, describe(file, failure)
