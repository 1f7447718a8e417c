"""Forwarding from receiver to processor with retries and a time budget (spec 06 §3.4-§3.5)."""

from __future__ import annotations

import asyncio
import random
import ssl
import time
from dataclasses import dataclass
from typing import Literal

import httpx

from ci_agent import __version__
from ci_agent.config import Settings

MAX_UPSTREAM_BODY = 1024 * 1024
RETRY_STATUSES = frozenset({500, 502, 503, 504})
_random = random.SystemRandom()


@dataclass(frozen=True)
class ForwardResult:
    kind: Literal["ok", "status", "unreachable", "timeout"]
    attempts: int
    status: int | None = None
    body: bytes = b""
    body_truncated: bool = False
    message: str | None = None
    retry_after: float | None = None


def _retry_after(value: str | None) -> float | None:
    if value is None:
        return None
    text = value.strip()
    return float(text) if text.isdigit() else None


def _classify_error(exc: Exception) -> ForwardResult:
    if isinstance(exc, TimeoutError | httpx.ReadTimeout | httpx.WriteTimeout | httpx.PoolTimeout):
        return ForwardResult("timeout", 0, message="read timeout")
    if isinstance(exc, httpx.ConnectTimeout):
        return ForwardResult("timeout", 0, message="connect timeout")
    if isinstance(exc, httpx.ConnectError):
        cause = exc.__cause__ or exc.__context__
        if isinstance(cause, ssl.SSLError) or "ssl" in type(cause).__name__.lower():
            return ForwardResult("unreachable", 0, message="tls error")
        return ForwardResult("unreachable", 0, message="connect failed")
    if isinstance(exc, httpx.RemoteProtocolError | httpx.LocalProtocolError):
        return ForwardResult("unreachable", 0, message="protocol error")
    return ForwardResult("unreachable", 0, message="connect failed")


async def _attempt(
    client: httpx.AsyncClient, url: str, body: bytes, headers: dict[str, str], deadline_s: float
) -> ForwardResult:
    try:
        async with asyncio.timeout(deadline_s):
            async with client.stream("POST", url, content=body, headers=headers) as response:
                chunks: list[bytes] = []
                size = 0
                truncated = False
                async for chunk in response.aiter_raw():
                    chunks.append(chunk)
                    size += len(chunk)
                    if size > MAX_UPSTREAM_BODY:
                        truncated = True
                        break
                data = b"".join(chunks)[:MAX_UPSTREAM_BODY]
                return ForwardResult(
                    "ok" if 200 <= response.status_code < 300 and not truncated else "status",
                    0,
                    status=response.status_code,
                    body=data,
                    body_truncated=truncated,
                    retry_after=_retry_after(response.headers.get("retry-after")),
                )
    except (httpx.HTTPError, TimeoutError, OSError, ssl.SSLError) as exc:
        return _classify_error(exc)


def _delay(retry: int, settings: Settings, retry_after: float | None) -> float:
    cap = settings.forward_backoff_max_s
    if retry_after is not None:
        return min(retry_after, cap)
    # "Full jitter": uniform in [0, min(max, base * 2**(n-1))].
    return _random.uniform(0, min(cap, settings.forward_backoff_base_s * 2 ** (retry - 1)))


def _retryable(result: ForwardResult) -> bool:
    if result.kind in {"unreachable", "timeout"}:
        return True
    return result.kind == "status" and result.status in RETRY_STATUSES


async def forward(body: bytes, url: str, request_id: str, settings: Settings) -> ForwardResult:
    """POST ``body`` to the processor; never follows redirects, never forwards caller headers."""
    per_attempt = settings.forward_timeout_s
    timeout = httpx.Timeout(
        connect=min(5.0, per_attempt),
        write=min(15.0, per_attempt),
        read=min(30.0, per_attempt),
        pool=min(5.0, per_attempt),
    )
    headers = {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {settings.developer_agent_token_value}",
        "User-Agent": f"praxi-ci-agent/{__version__}",
        "X-Request-ID": request_id,
    }
    started = time.monotonic()
    attempts = 0
    # trust_env=False: proxy variables of the host must not silently reroute logs and token.
    async with httpx.AsyncClient(
        timeout=timeout, follow_redirects=False, trust_env=False
    ) as client:
        while True:
            attempts += 1
            result = await _attempt(client, url, body, headers, per_attempt)
            if not _retryable(result) or attempts > settings.forward_retries:
                break
            delay = _delay(attempts, settings, result.retry_after)
            elapsed = time.monotonic() - started
            if elapsed + delay + per_attempt > settings.forward_total_budget_s:
                break
            await asyncio.sleep(delay)
    return ForwardResult(
        result.kind,
        attempts,
        status=result.status,
        body=result.body,
        body_truncated=result.body_truncated,
        message=result.message,
    )
