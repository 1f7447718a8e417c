"""The deterministic classifier on realistic log excerpts (spec 06 §6)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from ci_agent_fixtures import CASES, STRICT, TRACEBACK_BE, UVICORN_OK, pw_failure

from ci_agent.analysis.classify import AnalysisConfig, analyze
from ci_agent.analysis.playwright import error_signature, to_repo_path
from ci_agent.analysis.rules import CATEGORIES, RULES
from ci_agent.cli import main
from ci_agent.schema import normalize_status

CFG = AnalysisConfig()


def run(pw: str, be: str, status: str = "failure") -> dict[str, Any]:
    return analyze(pw, be, normalize_status(status), CFG)


def test_every_category_has_a_fixture() -> None:
    assert set(CASES) == set(CATEGORIES)


@pytest.mark.parametrize("category", sorted(CASES))
def test_category_fixture(category: str) -> None:
    pw, be, status = CASES[category]
    result = run(pw, be, status)
    assert result["classification"]["category"] == category
    info = CATEGORIES[category]
    assert result["classification"]["error_type"] == info.error_type
    assert result["failure_cause"]["error_type"] == info.legacy_error_type
    assert result["fix_agent_instructions"]["strategy"] == info.strategy


def test_rule_priorities_are_unique_and_sorted() -> None:
    priorities = [rule.priority for rule in RULES]
    assert priorities == sorted(set(priorities))


def test_root_cause_outranks_symptoms() -> None:
    # A migration error in the backend explains the Playwright timeout it causes.
    pw = pw_failure("e2e/a.spec.ts", 3, "A › b", "    Test timeout of 30000ms exceeded.\n")
    be = 'django.db.utils.ProgrammingError: relation "x" does not exist\n'
    result = run(pw, be)
    assert result["classification"]["category"] == "db_migration"
    assert result["classification"]["signals"] == [
        "backend:DB_MIGRATION",
        "playwright:PW_TEST_TIMEOUT",
        "playwright:TEST_FAILURE",
    ]


def test_failing_test_details_and_first_error() -> None:
    pw = pw_failure("e2e/calendar.spec.ts", 24, "Calendar › shows week view", STRICT, retries=1)
    result = run(pw, UVICORN_OK)
    [test] = result["tests"]["failing"]
    assert test["title"] == "Calendar › shows week view"
    assert test["project"] == "chromium"
    assert test["file"] == "e2e/calendar.spec.ts"
    assert test["repo_path"] == "tests/e2e/calendar.spec.ts"
    assert (test["line"], test["column"]) == (24, 7)
    assert test["outcome"] == "failed"
    assert test["retries"] == 1
    assert test["error"].startswith("Error: strict mode violation")
    assert test["error_location"] == {
        "repo_path": "tests/e2e/calendar.spec.ts",
        "line": 31,
        "column": 5,
    }
    assert test["attempt_signatures"] == [test["error_signature"]] * 2
    assert test["flaky_hint"] == "consistent"
    assert result["flakiness"]["verdict"] == "deterministic"
    assert result["flakiness"]["rerun_recommended"] is False
    assert (
        "1 of 1 failing tests failed identically on every retry"
        in (result["flakiness"]["evidence"])
    )
    first = result["first_error"]
    assert first["source"] == "playwright"
    assert first["rule_id"] == "PW_STRICT_MODE"
    assert pw.splitlines()[first["line"] - 1].strip() == first["text"]
    assert result["classification"]["failing_tests"] == [
        "[chromium] › e2e/calendar.spec.ts:24:7 › Calendar › shows week view"
    ]
    assert result["self_heal_plan"]["tests_to_rerun"] == [
        "npx playwright test tests/e2e/calendar.spec.ts:24"
    ]
    assert result["tests"]["counts"]["failed"] == 1
    assert result["tests"]["counts"]["passed"] == 11


def test_inconsistent_retries_and_flaky_only() -> None:
    pw = (
        "  1) [firefox] › e2e/a.spec.ts:3:5 › A › one ───\n"
        "    Error: Timeout 5000ms exceeded.\n"
        "    Retry #1 ───\n"
        "    Error: strict mode violation: locator('x') resolved to 3 elements\n"
        "  1 flaky\n"
        "    [firefox] › e2e/a.spec.ts:3:5 › A › one ───\n"
        "  9 passed (20s)\n"
    )
    result = run(pw, "")
    [test] = result["tests"]["failing"]
    assert test["outcome"] == "flaky"
    assert test["flaky_hint"] == "flaky"
    assert len(set(test["attempt_signatures"])) == 2
    assert result["flakiness"]["verdict"] == "flaky_only"


def test_traceback_excerpt_runs_to_the_exception_line() -> None:
    result = run(CASES["backend_exception"][0], TRACEBACK_BE)
    first = result["first_error"]
    assert first["source"] == "backend"
    assert first["line"] == 3
    assert first["excerpt"].splitlines()[0] == "Traceback (most recent call last):"
    assert first["excerpt"].splitlines()[-1] == "IndexError: list index out of range"


def test_match_outside_owning_source_is_downgraded() -> None:
    # net::ERR_ belongs to the Playwright log; seen only in the backend log it is weaker.
    result = run("", "proxy said net::ERR_CONNECTION_RESET\n")
    assert result["classification"]["category"] == "network"
    assert result["classification"]["confidence"] == "medium"


def test_no_false_positives_from_bare_numbers() -> None:
    be = "Listening on port 8401 with pid 4030 and 500 workers\nrequest id 1403\n"
    result = run("", be)
    assert result["classification"]["category"] == "unknown"
    assert result["error_signatures"] == []


def test_passed_status_with_signatures() -> None:
    result = run(CASES["selector"][0], UVICORN_OK, "success")
    assert result["classification"]["category"] == "none"
    assert result["classification"]["confidence"] == "medium"
    assert result["first_error"] is None
    assert (
        "status passed although failure signatures were found" in (result["flakiness"]["evidence"])
    )


def test_ansi_and_long_lines_are_handled() -> None:
    pw = "\x1b[31m  Error: strict mode violation: x\x1b[39m\n" + "y" * 100_000 + "\n"
    result = run(pw, "")
    assert result["classification"]["rule_id"] == "PW_STRICT_MODE"


def test_pathological_input_is_fast_enough() -> None:
    # Linear-time rules: long adversarial lines must not explode (no timing assertion, the
    # suite's overall time budget is the check).
    pw = ("storageState.json " + "a" * 300) * 200 + "\n" + ('"' + "x " * 3000) + "\n"
    run(pw * 20, ('relation "' + "z" * 250) * 50)


def test_repo_path_mapping() -> None:
    assert to_repo_path("e2e/a.spec.ts", "tests/") == "tests/e2e/a.spec.ts"
    assert to_repo_path("tests/e2e/a.spec.ts", "tests/") == "tests/e2e/a.spec.ts"
    assert to_repo_path("/home/r/w/p/tests/e2e/a.spec.ts", "tests/") == "tests/e2e/a.spec.ts"
    assert to_repo_path("C:\\w\\p\\tests\\a.spec.ts", "tests/") == "tests/a.spec.ts"
    assert to_repo_path("../x/a.spec.ts", "tests/") is None


def test_error_signature_ignores_numbers_and_quoted_values() -> None:
    a = error_signature("Error: Timeout 5000ms exceeded waiting for 'Save 12'")
    b = error_signature("Error:  Timeout 7000ms exceeded waiting for 'Cancel'")
    assert a == b
    assert len(a) == 12


def test_rerun_command_only_uses_safe_paths() -> None:
    pw = pw_failure("e2e/$(rm -rf).spec.ts", 3, "Evil", "    Error: x\n")
    result = run(pw, "")
    assert result["self_heal_plan"]["tests_to_rerun"] == ["npx playwright test"]


def write_fixture(tmp_path: Path, category: str) -> list[str]:
    pw, be, status = CASES[category]
    (tmp_path / "pw.log").write_text(pw, encoding="utf-8")
    (tmp_path / "be.log").write_text(be, encoding="utf-8")
    return [
        "analyze",
        "--playwright-log",
        str(tmp_path / "pw.log"),
        "--backend-log",
        str(tmp_path / "be.log"),
        "--status",
        status,
    ]


@pytest.mark.parametrize("category", sorted(CASES))
def test_analyze_command_is_deterministic(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], category: str
) -> None:
    args = write_fixture(tmp_path, category)
    assert main(args) == 0
    first = json.loads(capsysbinary.readouterr().out)
    assert main(args) == 0
    second = json.loads(capsysbinary.readouterr().out)
    assert first["classification"]["category"] == category
    first.pop("processed_at")
    second.pop("processed_at")
    assert first == second
    assert set(tmp_path.iterdir()) == {tmp_path / "pw.log", tmp_path / "be.log"}


def test_analyze_accepts_a_single_positional_file(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "playwright.log"
    path.write_text(CASES["timeout"][0], encoding="utf-8")
    assert main(["analyze", str(path)]) == 0
    data = json.loads(capsysbinary.readouterr().out)
    assert data["classification"]["category"] == "timeout"
    assert data["run_id"] == "local"
