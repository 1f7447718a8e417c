"""Calendar subscriptions (docs/calendar-feeds.md) over the API, as typed objects.

The functions block: call them inside ``desktop.ops`` work (``ops.run(lambda api:
calendar_feeds.doctor_feed(api, 12), self)``), never on the UI thread. Views get
:class:`Feed`, :class:`NewFeed` and :class:`Doctor` values, never URLs or JSON.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from desktop.api.client import ApiClient

COLLECTION_PATH = "/api/calendar-feeds/"
DOCTORS_PATH = "/api/appointments/doctors/"


def _detail_path(feed_id: int) -> str:
    return f"{COLLECTION_PATH}{feed_id}/"


def _doctor_path(doctor_id: int) -> str:
    return f"{COLLECTION_PATH}doctors/{doctor_id}/"


def _local(value: str | None) -> datetime | None:
    """API datetime → practice-local wall clock (the server writes practice-local times)."""
    if not value:
        return None
    return datetime.fromisoformat(value.replace("Z", "+00:00")).replace(tzinfo=None)


@dataclass(frozen=True)
class Doctor:
    id: int
    name: str


@dataclass(frozen=True)
class Feed:
    """A subscription as the server keeps it: who created it when; never the URL."""

    id: int
    doctor_id: int | None
    resource_id: int | None
    subject_name: str
    created_at: datetime | None
    created_by_name: str
    revoked_at: datetime | None

    @property
    def live(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class NewFeed:
    """A freshly created subscription with its URL, which only this answer contains."""

    feed: Feed
    url: str


def _feed(row: dict[str, Any]) -> Feed:
    return Feed(
        id=int(row["id"]),
        doctor_id=row.get("doctor_id"),
        resource_id=row.get("resource_id"),
        subject_name=str(row.get("subject_name") or ""),
        created_at=_local(row.get("created_at")),
        created_by_name=str(row.get("created_by_name") or ""),
        revoked_at=_local(row.get("revoked_at")),
    )


def doctors(api: ApiClient) -> list[Doctor]:
    """The active doctors (the booking form's picker), for an admin's choice."""
    return [Doctor(int(row["id"]), str(row["name"])) for row in api.get(DOCTORS_PATH)]


def doctor_feed(api: ApiClient, doctor_id: int) -> Feed | None:
    """The doctor's live subscription, or None."""
    body = api.get(_doctor_path(doctor_id))
    return _feed(body["feed"]) if body.get("feed") else None


def create_for_doctor(api: ApiClient, doctor_id: int) -> NewFeed:
    """A new URL for the doctor; a live one is revoked by the server in the same step."""
    body = api.post(COLLECTION_PATH, {"doctor_id": doctor_id})
    return NewFeed(_feed(body), str(body["url"]))


def revoke(api: ApiClient, feed_id: int) -> None:
    api.delete(_detail_path(feed_id))


SETTINGS_PATH = f"{COLLECTION_PATH}settings/"


@dataclass(frozen=True)
class FeedSettings:
    """The practice-wide switches of every feed."""

    show_patient_initials: bool
    window_days: int


def _settings(body: dict[str, Any]) -> FeedSettings:
    return FeedSettings(bool(body.get("show_patient_initials")), int(body.get("window_days", 60)))


def feed_settings(api: ApiClient) -> FeedSettings:
    return _settings(api.get(SETTINGS_PATH))


def set_show_patient_initials(api: ApiClient, show: bool) -> FeedSettings:
    """Admins: every feed names the patients' initials (or nobody) from now on."""
    return _settings(api.patch(SETTINGS_PATH, {"show_patient_initials": show}))
