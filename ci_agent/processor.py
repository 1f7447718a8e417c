"""Processor role: ``POST /process-logs`` — validate, store, analyse (spec 06 §4, §5)."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

from fastapi import APIRouter
from starlette.requests import Request
from starlette.responses import Response

from ci_agent.analysis.classify import AnalysisConfig, analyze, build_document, utc_now_iso
from ci_agent.analysis.rules import RULES_VERSION
from ci_agent.auth import is_authorized
from ci_agent.config import Settings
from ci_agent.logprep import prepare_log
from ci_agent.schema import JsonBodyError, Payload, PayloadError, parse_json_body, validate_payload
from ci_agent.storage import (
    LockTimeout,
    RunLocks,
    StorageError,
    Store,
    append_line,
    atomic_write,
    dump_json,
    remove_file,
)
from ci_agent.triggers import Policy, build_triggers, should_trigger, trigger_flags
from ci_agent.web import (
    ApiError,
    busy,
    invalid_json,
    invalid_payload,
    json_response,
    log_info,
    not_configured,
    read_body,
    unauthorized,
)

log = logging.getLogger("ci_agent.processor")

PATHS = ("/process-logs", "/process-logs/")


class StaleAttempt(Exception):
    def __init__(self, stored: int) -> None:
        super().__init__("stale attempt")
        self.stored = stored


def analysis_config(settings: Settings) -> AnalysisConfig:
    return AnalysisConfig(
        test_dir=settings.test_dir,
        backend_paths=tuple(settings.backend_path_list()),
        rerun_command=settings.rerun_command.strip(),
        fix_branch=settings.fix_branch.strip(),
        base_branch=settings.base_branch.strip(),
        allowed_paths=tuple(settings.allowed_fix_path_list()),
    )


def prepare_and_analyze(
    payload: Payload,
    settings: Settings,
    *,
    payload_sha256: str,
    supersedes: str | None,
) -> tuple[str, str, dict[str, Any]]:
    """Normalise, redact and cap both logs, then build ``analysis.json`` on the stored text."""
    literals = settings.secret_values()
    cap, redact = settings.max_stored_log_bytes, settings.redact
    pw_text, pw_stats = prepare_log(
        payload.playwright_log,
        file_name="playwright.log",
        cap=cap,
        redact_secrets=redact,
        literals=literals,
    )
    be_text, be_stats = prepare_log(
        payload.backend_log,
        file_name="backend.log",
        cap=cap,
        redact_secrets=redact,
        literals=literals,
    )
    sections = analyze(pw_text, be_text, payload.status_normalized, analysis_config(settings))
    document = build_document(
        processed_at=utc_now_iso(),
        run_id=payload.run_id_text,
        run_attempt=payload.run_attempt,
        job_name=payload.job_name,
        timestamp=payload.timestamp,
        branch=payload.branch,
        commit=payload.commit,
        status=payload.status,
        status_normalized=payload.status_normalized,
        payload_sha256=payload_sha256,
        supersedes_payload_sha256=supersedes,
        logs={"playwright": pw_stats, "backend": be_stats},
        sections=sections,
    )
    return pw_text, be_text, document


class ProcessorService:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.logs_dir)
        self.locks = RunLocks()
        self.policy = Policy.from_settings(settings)
        self.rerun_command = settings.rerun_command.strip()

    def _read_stored(self, run_dir: Path) -> dict[str, Any] | None:
        path = self.store.safe_file(run_dir, "analysis.json")
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError):
            # Cannot happen with atomic writes; treat an unreadable file as absent.
            log.warning("stored analysis.json unreadable; it will be replaced")
            return None
        return data if isinstance(data, dict) else None

    def _response(self, analysis: dict[str, Any], duplicate: bool) -> dict[str, Any]:
        return {
            "status": "processed",
            "run_id": analysis["run_id"],
            "run_attempt": analysis["run_attempt"],
            "duplicate": duplicate,
            "classification": analysis["classification"],
            "self_heal_plan": analysis["self_heal_plan"],
            "fix_agent_instructions": analysis["fix_agent_instructions"],
            "triggers": trigger_flags(analysis, self.policy, self.rerun_command),
        }

    def process(self, payload: Payload) -> dict[str, Any]:
        """Steps 6-10 of spec 06 §4.1; runs in a worker thread under the per-run lock."""
        sha = payload.sha256()
        run_dir = self.store.run_dir(payload.run_id_text, create=False)
        stored = self._read_stored(run_dir) if run_dir.is_dir() else None
        if stored is not None:
            analyzer = stored.get("analyzer") or {}
            if (
                stored.get("payload_sha256") == sha
                and analyzer.get("rules_version") == RULES_VERSION
            ):
                return self._response(stored, duplicate=True)
            stored_attempt = stored.get("run_attempt")
            if isinstance(stored_attempt, int) and stored_attempt > payload.run_attempt:
                raise StaleAttempt(stored_attempt)
        supersedes = stored.get("payload_sha256") if stored is not None else None
        pw_text, be_text, analysis = prepare_and_analyze(
            payload, self.settings, payload_sha256=sha, supersedes=supersedes
        )
        self._write(run_dir, pw_text, be_text, analysis)
        return self._response(analysis, duplicate=False)

    def _write(self, run_dir: Path, pw_text: str, be_text: str, analysis: dict[str, Any]) -> None:
        try:
            run_dir = self.store.run_dir(run_dir.name, create=True)
            file = self.store.safe_file
            atomic_write(file(run_dir, "playwright.log"), pw_text.encode("utf-8"))
            atomic_write(file(run_dir, "backend.log"), be_text.encode("utf-8"))
            triggers_path = file(run_dir, "triggers.json")
            if should_trigger(analysis):
                doc = build_triggers(analysis, self.policy, self.rerun_command, utc_now_iso())
                atomic_write(triggers_path, dump_json(doc))
            else:
                remove_file(triggers_path)
            # analysis.json last: it is the commit marker of the set.
            atomic_write(file(run_dir, "analysis.json"), dump_json(analysis))
            history = {
                "processed_at": analysis["processed_at"],
                "run_attempt": analysis["run_attempt"],
                "status": analysis["status"],
                "category": analysis["classification"]["category"],
                "payload_sha256": analysis["payload_sha256"],
            }
            line = json.dumps(history, ensure_ascii=False, separators=(",", ":")) + "\n"
            append_line(file(run_dir, "history.jsonl"), line.encode("utf-8"))
        except OSError as exc:
            raise StorageError(type(exc).__name__) from None


def build_router(settings: Settings | None) -> APIRouter:
    router = APIRouter()
    service = ProcessorService(settings) if settings is not None else None

    async def process_logs(request: Request) -> Response:
        if service is None or settings is None:
            log.error("processor is not configured (DEVELOPER_AGENT_TOKEN / PRAXI_CI_LOGS_DIR)")
            raise not_configured()
        if not is_authorized(request, settings.developer_agent_token_value):
            raise unauthorized()
        raw = await read_body(request, settings.max_body_bytes, settings.body_read_timeout_s)
        try:
            payload = validate_payload(parse_json_body(raw))
        except JsonBodyError as exc:
            raise invalid_json(str(exc)) from None
        except PayloadError as exc:
            raise invalid_payload(exc.details) from None
        info = log_info(request)
        info.update(
            run_id=payload.run_id_text, run_attempt=payload.run_attempt, job_name=payload.job_name
        )
        try:
            async with service.locks.hold(payload.run_id_text, settings.lock_timeout_s):
                work = asyncio.ensure_future(asyncio.to_thread(service.process, payload))
                try:
                    body = await asyncio.shield(work)
                except asyncio.CancelledError:
                    # A thread cannot be cancelled: keep the run lock until it has finished
                    # writing, so no second writer can interleave with it.
                    await asyncio.wait({work})
                    raise
        except LockTimeout:
            raise busy() from None
        except StaleAttempt as exc:
            raise ApiError(
                409, "Conflict", "stale_attempt", {"stored_run_attempt": exc.stored}
            ) from None
        except StorageError as exc:
            log.error("storage error: %s", exc)
            raise ApiError(500, "Internal Server Error", "storage_error") from None
        return json_response(200, body)

    for path in PATHS:
        router.add_api_route(path, process_logs, methods=["POST"], include_in_schema=False)
    return router
