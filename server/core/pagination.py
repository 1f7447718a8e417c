"""Page-number pagination of 00 §5: ``{count, next, previous, results}``, 50 per page."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from fastapi import Request
from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from server.core.errors import APIError

T = TypeVar("T")

DEFAULT_PAGE_SIZE = 50
MAX_PAGE_SIZE = 500


def _invalid_page() -> APIError:
    return APIError(404, {"detail": "Invalid page."})


def page_size_from(request: Request) -> int:
    raw = request.query_params.get("page_size")
    try:
        size = int(raw) if raw is not None else DEFAULT_PAGE_SIZE
    except ValueError:
        return DEFAULT_PAGE_SIZE
    if size < 1:
        return DEFAULT_PAGE_SIZE
    return min(size, MAX_PAGE_SIZE)


def page_number_from(request: Request) -> int:
    raw = request.query_params.get("page")
    if raw is None or raw == "":
        return 1
    try:
        number = int(raw)
    except ValueError as exc:
        raise _invalid_page() from exc
    if number < 1:
        raise _invalid_page()
    return number


def _page_url(request: Request, page: int, trust_proxy: bool) -> str:
    url = request.url
    if trust_proxy:
        proto = request.headers.get("x-forwarded-proto")
        host = request.headers.get("x-forwarded-host")
        if proto:
            url = url.replace(scheme=proto.split(",")[0].strip())
        if host:
            url = url.replace(netloc=host.split(",")[0].strip())
    if page == 1:
        return str(url.remove_query_params("page"))
    return str(url.include_query_params(page=page))


def paginate(
    request: Request,
    session: Session,
    statement: Select[T],
    render: Callable[[Sequence[T]], list[dict[str, Any]]],
    *,
    trust_proxy: bool,
) -> dict[str, Any]:
    """Run ``statement`` for one page; two queries whatever the page size."""
    size = page_size_from(request)
    number = page_number_from(request)
    count = session.scalar(select(func.count()).select_from(statement.order_by(None).subquery()))
    count = count or 0
    last_page = max(1, math.ceil(count / size))
    if number > last_page:
        raise _invalid_page()
    rows = session.scalars(statement.limit(size).offset((number - 1) * size)).unique().all()
    return {
        "count": count,
        "next": _page_url(request, number + 1, trust_proxy) if number < last_page else None,
        "previous": _page_url(request, number - 1, trust_proxy) if number > 1 else None,
        "results": render(rows),
    }
