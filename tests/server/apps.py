"""One running app (and ``TestClient``) per configuration and test process.

Building the FastAPI app costs ≈ 70 ms and starting its lifespan opens new database
connections; most tests only need *an* app on the process's working database (which
``database_url`` empties before every test). ``shared_client(settings)`` hands out a client
whose app was built once for settings equal to these (the data folder aside: with a fixed
secret key the app never reads it) and is still running.

On every hand-out the app gets the test's own ``Settings`` object, so a test that moves the
test clock (``client.app.state.praxi.settings.test_now = …``) changes only its own copy, and
the client's cookies and default headers are reset. Apps on any other database (tests marked
``own_database``) are built fresh and shut down afterwards, as before.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from fastapi.testclient import TestClient
from pydantic import SecretStr

from server.app import create_app
from server.settings import Settings

_BASE_URL = "http://testserver"
# Each running app keeps a few pooled connections and a listener: keep the most recent few.
MAX_RUNNING = 6
_shared: OrderedDict[str, TestClient] = OrderedDict()
_shared_database_urls: set[str] = set()


def allow_sharing_on(database_url: str) -> None:
    """Apps on this database may outlive a test (it is reset, never dropped, per process)."""
    _shared_database_urls.add(database_url)


def _key(settings: Settings, options: dict[str, Any]) -> str | None:
    if settings.secret_key is None or settings.database_url is None:
        return None  # the app would read or write files in the data folder
    if settings.database_url.get_secret_value() not in _shared_database_urls:
        return None
    values = {
        name: value.get_secret_value() if isinstance(value, SecretStr) else value
        for name, value in settings.model_dump(exclude={"data_dir"}).items()
    }
    return repr(sorted(values.items())) + repr(sorted(options.items()))


@contextmanager
def shared_client(settings: Settings, **options: Any) -> Iterator[TestClient]:
    """A running ``TestClient`` for an app with these settings (see the module docstring)."""
    options.setdefault("base_url", _BASE_URL)
    key = _key(settings, options)
    if key is None:
        with TestClient(create_app(settings), **options) as client:
            yield client
        return
    client = _shared.get(key)
    if client is None:
        client = TestClient(create_app(settings), **options)
        client.__enter__()
        client.headers_at_start = dict(client.headers)  # type: ignore[attr-defined]
        _shared[key] = client
        while len(_shared) > MAX_RUNNING:
            _, oldest = _shared.popitem(last=False)
            oldest.__exit__(None, None, None)
    _shared.move_to_end(key)
    client.app.state.praxi.settings = settings  # type: ignore[attr-defined]
    client.cookies.clear()
    client.headers.clear()
    client.headers.update(client.headers_at_start)  # type: ignore[attr-defined]
    yield client


def close_shared_clients() -> None:
    """Shut every shared app down (end of the test process)."""
    while _shared:
        _, client = _shared.popitem()
        client.__exit__(None, None, None)
