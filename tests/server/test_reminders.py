"""Appointment reminders end to end (issue 19, docs/reminders.md): rules, consent and
appointments through the API, the worker against a real SMTP server (aiosmtpd) and a real
HTTP SMS gateway on loopback, all at test-clock times."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from server.audit.models import AuditLog
from server.database_setup import engine_for
from server.patients.models import Patient
from server.reminders.channels import (
    EmailChannel,
    Message,
    SendError,
    SmsChannel,
    normalise_phone,
)
from server.reminders.models import Reminder
from server.reminders.planning import Window
from server.reminders.worker import Outcome, Worker
from server.settings import Settings
from tests.server import scheduling_fixtures
from tests.server.conftest import Users
from tests.server.scheduling_fixtures import BERLIN, MONDAY, NOW, Headers, Practice, at
from tests.server.test_reminders_support import Gateway, SmtpServer, sms_gateway, smtp_server

practice = scheduling_fixtures.appointment_practice
api = scheduling_fixtures.api
admin = scheduling_fixtures.admin

SATURDAY = MONDAY - timedelta(days=2)
SMS_SECRET = "Bearer sms-geheim-4711"
SMTP_PASSWORD = "smtp-geheim-0815"


def local(day: Any, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=BERLIN)


@pytest.fixture(scope="module")
def smtp(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SmtpServer]:
    with smtp_server(tmp_path_factory.mktemp("smtp")) as server:
        yield server


@pytest.fixture(scope="module")
def gateway() -> Iterator[Gateway]:
    with sms_gateway() as server:
        yield server


@pytest.fixture(autouse=True)
def _clean_servers(smtp: SmtpServer, gateway: Gateway) -> None:
    smtp.mailbox.clear()
    gateway.clear()


def channel_settings(base: Settings, smtp: SmtpServer, gateway: Gateway, **extra: Any) -> Settings:
    return base.with_overrides(
        smtp_host=smtp.host,
        smtp_port=smtp.port,
        smtp_security="none",
        smtp_from="praxis@example.org",
        sms_url=gateway.url,
        sms_auth_value=_secret(SMS_SECRET),
        reminder_retry_seconds=60.0,
        **extra,
    )


def _secret(value: str) -> SecretStr:
    return SecretStr(value)


def work(api: TestClient, smtp: SmtpServer, gateway: Gateway, moment: datetime) -> list[Outcome]:
    """Run a worker at the test-clock time ``moment`` until nothing is due."""
    state = api.app.state.praxi  # type: ignore[attr-defined]
    settings = channel_settings(state.settings, smtp, gateway, test_now=moment)
    return Worker(state.engine, lambda: settings).run_until_idle()


def set_contact(db: sessionmaker[Session], patient_id: int, email: str, phone: str) -> None:
    with db() as session, session.begin():
        session.execute(
            update(Patient).where(Patient.id == patient_id).values(email=email, phone=phone)
        )


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def setup_practice(api: TestClient, admin: Headers, **rule: Any) -> None:
    ok(
        api.patch(
            "/api/reminder-settings/",
            json={
                "practice_name": "Praxis Dr. Sonnenschein",
                "practice_phone": "030 1234567",
                "practice_address": "Hauptstraße 1, 10115 Berlin",
            },
            headers=admin,
        )
    )
    body = {"appointment_type": None, "offsets_minutes": [2880, 120], "channels": ["email", "sms"]}
    ok(api.post("/api/reminder-rules/", json={**body, **rule}, headers=admin), 201)


def book(api: TestClient, headers: Headers, body: dict[str, Any]) -> int:
    appointment_id: int = ok(api.post("/api/appointments/", json=body, headers=headers), 201)["id"]
    return appointment_id


def reminders_of(api: TestClient, headers: Headers, appointment_id: int) -> list[dict[str, Any]]:
    page = ok(api.get(f"/api/appointments/{appointment_id}/reminders/", headers=headers))
    results: list[dict[str, Any]] = page["results"]
    return results


def test_reminders_go_out_at_their_times_only_with_consent_and_without_medical_content(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    smtp: SmtpServer,
    gateway: Gateway,
    caplog: pytest.LogCaptureFixture,
) -> None:
    setup_practice(api, admin)
    set_contact(db, practice.patient_id, "max@example.org", "0171 2345678")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    assert ok(api.get(consent_url, headers=admin))["email"] == {
        "granted": False,
        "recorded_by": None,
        "recorded_at": None,
    }
    consent = ok(api.put(consent_url, json={"email": True, "sms": False}, headers=admin))
    assert consent["email"]["granted"] is True
    assert consent["email"]["recorded_by"]["name"]
    assert consent["email"]["recorded_at"].startswith("2027-01-11T08:00:00")
    assert consent["sms"]["granted"] is False

    appointment = book(api, admin, practice.body(notes="Diabetes, HbA1c-Kontrolle"))
    planned = reminders_of(api, admin, appointment)
    assert [(r["channel"], r["due_at"], r["status_label"]) for r in planned] == [
        ("email", "2027-01-16T10:00:00+01:00", "geplant"),
        ("email", "2027-01-18T08:00:00+01:00", "geplant"),
    ]

    # Nothing is due yet, and a minute before the 48-hour mark still nothing.
    assert work(api, smtp, gateway, NOW) == []
    assert work(api, smtp, gateway, local(SATURDAY, 9, 59)) == []
    sent = work(api, smtp, gateway, local(SATURDAY, 10, 0))
    assert [o.status for o in sent] == ["sent"]
    assert len(smtp.mailbox.messages) == 1
    mail = smtp.mailbox.messages[0]
    assert mail["To"] == "max@example.org"
    assert mail["Subject"] == "Terminerinnerung: 18.01.2027 um 10:00 Uhr"
    # A stable reference: a resend after a crash carries the same Message-ID.
    assert mail["Message-ID"] == f"<praxi-reminder-{planned[0]['id']}@example.org>"
    text = mail.get_content()
    assert "Praxis Dr. Sonnenschein" in text
    assert "Montag, 18.01.2027 um 10:00 Uhr" in text
    assert "Hauptstraße 1, 10115 Berlin" in text
    for medical in ("Kontrolle", "Diabetes", "HbA1c", "Mustermann"):
        assert medical not in text
        assert medical not in mail["Subject"]
    assert gateway.requests == []  # no SMS consent: no SMS

    statuses = [(r["status"], r["status_label"]) for r in reminders_of(api, admin, appointment)]
    assert statuses == [("sent", "gesendet"), ("planned", "geplant")]
    work(api, smtp, gateway, local(MONDAY, 8, 0))
    assert len(smtp.mailbox.messages) == 2
    assert [r["status"] for r in reminders_of(api, admin, appointment)] == ["sent", "sent"]

    with db() as session:
        actions = session.scalars(select(AuditLog.action).order_by(AuditLog.id)).all()
    assert "reminder_consent_update" in actions
    assert actions.count("reminder_sent") == 2
    assert "appointment_reminders_read" in actions
    assert SMS_SECRET not in caplog.text
    assert "max@example.org" not in caplog.text


def test_sms_through_the_gateway_with_retries_then_failed_and_retry_by_the_practice(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    smtp: SmtpServer,
    gateway: Gateway,
) -> None:
    setup_practice(api, admin, offsets_minutes=[120], channels=["sms"])
    set_contact(db, practice.patient_id, "", "0171 / 234-5678")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"sms": True}, headers=admin))
    appointment = book(api, admin, practice.body())

    due = local(MONDAY, 8, 0)
    gateway.statuses[:] = [503]
    assert [o.status for o in work(api, smtp, gateway, due)] == ["planned"]
    (reminder,) = reminders_of(api, admin, appointment)
    assert reminder["status"] == "planned"
    assert reminder["attempts"] == 1
    assert reminder["last_error"] == "SMS-Gateway antwortete mit HTTP 503."
    assert reminder["next_attempt_at"] == "2027-01-18T08:01:00+01:00"  # back-off 60 s
    assert (
        work(
            api,
            smtp,
            gateway,
            local(
                MONDAY,
                8,
                0,
            ),
        )
        == []
    )  # not before the back-off

    gateway.statuses[:] = [400]  # the gateway refuses: final
    assert [o.status for o in work(api, smtp, gateway, local(MONDAY, 8, 1))] == ["failed"]
    (reminder,) = reminders_of(api, admin, appointment)
    assert (reminder["status"], reminder["status_label"]) == ("failed", "fehlgeschlagen")
    failed = ok(api.get("/api/reminders/", params={"status": "failed"}, headers=admin))
    assert [r["id"] for r in failed["results"]] == [reminder["id"]]
    filters = {
        "status": "failed,planned",
        "channel": "sms",
        "patient_id": practice.patient_id,
        "appointment": appointment,
        "due_from": "2027-01-18T08:00",
        "due_to": "2027-01-18T08:01",
    }
    assert ok(api.get("/api/reminders/", params=filters, headers=admin))["count"] == 1
    assert (
        ok(api.get("/api/reminders/", params={**filters, "channel": "email"}, headers=admin))[
            "count"
        ]
        == 0
    )
    bad = api.get("/api/reminders/", params={"due_from": "gestern"}, headers=admin)
    assert bad.status_code == 400
    assert "due_from" in bad.json()

    retry_url = f"/api/reminders/{reminder['id']}/retry/"
    api.app.state.praxi.settings.test_now = local(MONDAY, 8, 5)  # type: ignore[attr-defined]
    assert ok(api.post(retry_url, headers=admin))["status"] == "planned"
    assert ok(api.post(retry_url, headers=admin), 409)["detail"].startswith("Nur fehlgeschlagene")
    assert [o.status for o in work(api, smtp, gateway, local(MONDAY, 8, 5))] == ["sent"]

    delivered = gateway.requests[-1]
    assert delivered["headers"]["Authorization"] == SMS_SECRET
    assert delivered["path"] == "/sms"
    body = json.loads(delivered["body"])
    assert body["to"] == "+491712345678"
    assert body["sender"] == "Praxis"
    assert body["text"] == (
        "Erinnerung: Ihr Termin bei Praxis Dr. Sonnenschein am 18.01.2027 um 10:00 Uhr. "
        "Falls Sie den Termin nicht wahrnehmen können, sagen Sie bitte rechtzeitig "
        "telefonisch ab."
    )
    assert len(gateway.requests) == 3
    assert smtp.mailbox.messages == []


def test_cancelling_moving_and_deleting_withdraw_or_replan_in_the_same_transaction(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    smtp: SmtpServer,
    gateway: Gateway,
) -> None:
    setup_practice(api, admin, offsets_minutes=[120], channels=["email"])
    set_contact(db, practice.patient_id, "max@example.org", "")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"email": True}, headers=admin))

    moved = book(api, admin, practice.body())
    url = f"/api/appointments/{moved}/"
    ok(api.patch(url, json={"start_time": at(11), "end_time": at(11, 30)}, headers=admin))
    first, second = reminders_of(api, admin, moved)
    assert (first["status"], first["reason"], first["reason_label"]) == (
        "withdrawn",
        "rescheduled",
        "Termin verschoben",
    )
    assert (second["status"], second["due_at"]) == ("planned", "2027-01-18T09:00:00+01:00")

    ok(api.patch(url, json={"status": "cancelled"}, headers=admin))
    assert {(r["status"], r["reason"]) for r in reminders_of(api, admin, moved)} == {
        ("withdrawn", "rescheduled"),
        ("withdrawn", "cancelled"),
    }

    deleted = book(api, admin, practice.body(start_time=at(14), end_time=at(14, 30)))
    (doomed,) = reminders_of(api, admin, deleted)
    assert api.delete(f"/api/appointments/{deleted}/", headers=admin).status_code == 204
    with db() as session:
        row = session.get(Reminder, doomed["id"])
        assert row is not None
        assert (row.status, row.reason) == ("withdrawn", "deleted")

    # Revoking consent withdraws, granting again plans anew.
    kept = book(api, admin, practice.body(start_time=at(15), end_time=at(15, 30)))
    ok(api.patch(consent_url, json={"email": False}, headers=admin))
    assert [(r["status"], r["reason"]) for r in reminders_of(api, admin, kept)] == [
        ("withdrawn", "consent")
    ]
    ok(api.patch(consent_url, json={"email": True}, headers=admin))
    assert [r["status"] for r in reminders_of(api, admin, kept)] == ["withdrawn", "planned"]

    assert [o.status for o in work(api, smtp, gateway, local(MONDAY, 16, 0))] == ["failed"]
    assert smtp.mailbox.messages == []  # the 15:00 one was due at 13:00; 16:00 is too late


def test_sending_window_and_appointments_booked_after_the_offset(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
) -> None:
    setup_practice(api, admin, channels=["email"])
    ok(
        api.patch(
            "/api/reminder-settings/",
            json={"send_from": "09:00", "send_until": "19:30"},
            headers=admin,
        )
    )
    set_contact(db, practice.patient_id, "max@example.org", "")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"email": True}, headers=admin))
    early = book(api, admin, practice.body())  # Monday 10:00: 2 h before is 08:00
    assert [r["due_at"] for r in reminders_of(api, admin, early)] == [
        "2027-01-16T10:00:00+01:00",
        "2027-01-17T19:30:00+01:00",  # moved into the window: Sunday evening
    ]
    # Booked on Saturday noon: the 48-hour reminder (Saturday 10:00) has passed.
    api.app.state.praxi.settings.test_now = local(SATURDAY, 12, 0)  # type: ignore[attr-defined]
    late = book(api, admin, practice.body(start_time=at(11), end_time=at(11, 30)))
    assert [r["offset_minutes"] for r in reminders_of(api, admin, late)] == [120]

    # Without a rule nothing is planned; a type rule with no offsets switches the type off.
    ok(
        api.post(
            "/api/reminder-rules/",
            json={"appointment_type": practice.type_id, "offsets_minutes": [], "channels": []},
            headers=admin,
        ),
        201,
    )
    assert {r["status"] for r in reminders_of(api, admin, late)} == {"withdrawn"}


def test_type_name_only_when_switched_on(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    smtp: SmtpServer,
    gateway: Gateway,
) -> None:
    setup_practice(api, admin, offsets_minutes=[120], channels=["email"])
    ok(
        api.post(
            "/api/reminder-rules/",
            json={
                "appointment_type": practice.type_id,
                "offsets_minutes": [120],
                "channels": ["email"],
                "include_type_name": True,
            },
            headers=admin,
        ),
        201,
    )
    template = "Ihr Termin ({terminart}) bei {arzt} am {datum}."
    ok(api.patch("/api/reminder-settings/", json={"email_body": template}, headers=admin))
    set_contact(db, practice.patient_id, "max@example.org", "")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"email": True}, headers=admin))
    book(api, admin, practice.body())
    book(api, admin, practice.body(type=None, start_time=at(11), end_time=at(11, 30)))
    work(api, smtp, gateway, local(MONDAY, 9, 0))
    bodies = sorted(m.get_content().strip() for m in smtp.mailbox.messages)
    assert bodies == [
        "Ihr Termin () bei  am 18.01.2027.",
        "Ihr Termin (Kontrolle) bei  am 18.01.2027.",
    ]


def test_validation_and_roles(
    api: TestClient, admin: Headers, practice: Practice, users: Users
) -> None:
    bad = api.patch(
        "/api/reminder-settings/",
        json={"sms_body": "Termin {datum} {diagnose}", "send_from": "21:00"},
        headers=admin,
    )
    assert bad.status_code == 400
    assert bad.json()["sms_body"][0].startswith("Unbekannter Platzhalter {diagnose}")
    assert bad.json()["send_until"] == ["Das Ende des Sendefensters muss nach dem Beginn liegen."]
    assert api.patch(
        "/api/reminder-settings/", json={"email_subject": "A\nB"}, headers=admin
    ).json() == {"email_subject": ["Der Betreff darf keinen Zeilenumbruch enthalten."]}
    rule = {"offsets_minutes": [120, 120, 5], "channels": ["fax"]}
    errors = api.post("/api/reminder-rules/", json=rule, headers=admin).json()
    assert errors["offsets_minutes"] == {"2": ["Ensure this value is greater than or equal to 15."]}
    assert errors["channels"] == {"0": ['"fax" is not a valid choice.']}
    ok(
        api.post(
            "/api/reminder-rules/", json={"offsets_minutes": [60], "channels": []}, headers=admin
        ),
        201,
    )
    again = api.post(
        "/api/reminder-rules/", json={"offsets_minutes": [], "channels": []}, headers=admin
    )
    assert again.json() == {"appointment_type": ["Es gibt schon eine Standardregel der Praxis."]}
    typed = {"appointment_type": practice.type_id, "offsets_minutes": [2880], "channels": ["sms"]}
    rule_id = ok(api.post("/api/reminder-rules/", json=typed, headers=admin), 201)["id"]
    listed = ok(api.get("/api/reminder-rules/", headers=admin))
    assert [(r["appointment_type_name"], r["offsets_minutes"]) for r in listed["results"]] == [
        (None, [60]),
        ("Kontrolle", [2880]),
    ]
    rule_url = f"/api/reminder-rules/{rule_id}/"
    replaced = ok(api.put(rule_url, json={**typed, "offsets_minutes": [1440]}, headers=admin))
    assert replaced["offsets_minutes"] == [1440]
    current = ok(api.get("/api/reminder-settings/", headers=admin))
    writable = {k: v for k, v in current.items() if k not in ("channels_configured", "updated_at")}
    put = ok(
        api.put("/api/reminder-settings/", json={**writable, "send_until": "18:00"}, headers=admin)
    )
    assert (put["send_from"], put["send_until"]) == ("08:00", "18:00")
    assert api.put("/api/reminder-settings/", json={"sms_body": "x"}, headers=admin).json()[
        "send_from"
    ] == ["This field is required."]
    assert ok(api.patch(rule_url, json={"active": False}, headers=admin))["active"] is False
    assert ok(api.get(rule_url, headers=admin))["channels"] == ["sms"]
    assert api.delete(rule_url, headers=admin).status_code == 204
    assert api.get(rule_url, headers=admin).status_code == 404
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    assert api.put(consent_url, json={"email": "vielleicht"}, headers=admin).status_code == 400
    assert api.get("/api/patients/999999/reminder-consent/", headers=admin).status_code == 404

    assistant = users.headers(users.create("assistant", "anna.assist"))
    doctor = users.headers(practice.doctor)
    billing = users.headers(users.create("billing", "bert.billing"))
    assert api.get("/api/reminder-settings/", headers=assistant).status_code == 200
    assert api.patch("/api/reminder-settings/", json={}, headers=assistant).status_code == 403
    assert api.get("/api/reminder-rules/", headers=doctor).status_code == 403
    assert api.get(consent_url, headers=billing).status_code == 200
    assert api.patch(consent_url, json={"sms": True}, headers=billing).status_code == 403
    assert api.patch(consent_url, json={"sms": True}, headers=doctor).status_code == 200
    assert api.get("/api/reminders/", headers=billing).status_code == 403
    assert api.get("/api/reminders/", params={"status": "bogus"}, headers=admin).status_code == 400
    assert api.get("/api/reminder-settings/").status_code == 401


def test_two_workers_on_separate_connections_never_send_the_same_reminder(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    smtp: SmtpServer,
    gateway: Gateway,
) -> None:
    setup_practice(api, admin, offsets_minutes=[2880], channels=["sms"])
    set_contact(db, practice.patient_id, "", "01712345678")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"sms": True}, headers=admin))
    count = 10  # the bench (bench/reminders_workers.py) runs 2 processes × 200, 10 times
    for index in range(count):  # every 15 minutes from 09:00, 10 minutes long
        start = local(MONDAY, 9) + timedelta(minutes=15 * index)
        body = practice.body(
            start_time=start.isoformat(), end_time=(start + timedelta(minutes=10)).isoformat()
        )
        book(api, admin, body)
    settings = channel_settings(
        api.app.state.praxi.settings,  # type: ignore[attr-defined]
        smtp,
        gateway,
        test_now=local(SATURDAY, 13, 0),  # all 48-hour reminders due, no appointment begun
    )
    engines = [engine_for(settings, pool_size=1) for _ in range(2)]
    results: list[list[Outcome]] = [[], []]
    barrier = threading.Barrier(2)

    def run(index: int) -> None:
        barrier.wait()
        results[index] = Worker(engines[index], lambda: settings).run_until_idle()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    for engine in engines:
        engine.dispose()
    texts = gateway.texts()
    assert len(texts) == count
    assert len(set(texts)) == count
    handled = [o.reminder_id for outcomes in results for o in outcomes]
    assert sorted(handled) == sorted(set(handled))
    assert len(handled) == count
    with db() as session:
        rows = session.scalars(select(Reminder)).all()
    assert {(r.status, r.attempts) for r in rows} == {("sent", 1)}


def test_smtp_over_starttls_and_implicit_tls_with_login_and_no_secret_in_the_log(
    api: TestClient,
    admin: Headers,
    practice: Practice,
    db: sessionmaker[Session],
    gateway: Gateway,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    setup_practice(api, admin, offsets_minutes=[120], channels=["email"])
    set_contact(db, practice.patient_id, "max@example.org", "")
    consent_url = f"/api/patients/{practice.patient_id}/reminder-consent/"
    ok(api.patch(consent_url, json={"email": True}, headers=admin))
    appointment = book(api, admin, practice.body())
    state = api.app.state.praxi  # type: ignore[attr-defined]
    caplog.set_level(logging.DEBUG)
    with smtp_server(tmp_path, tls="starttls", username="praxis", password=SMTP_PASSWORD) as tls:
        base = channel_settings(state.settings, tls, gateway, test_now=local(MONDAY, 8))
        wrong = base.with_overrides(
            smtp_security="starttls",
            smtp_ca_file=tls.ca_file,
            smtp_username="praxis",
            smtp_password=_secret("falsch-" + SMTP_PASSWORD),
        )
        assert [o.status for o in Worker(state.engine, lambda: wrong).run_until_idle()] == [
            "failed"
        ]
        (reminder,) = reminders_of(api, admin, appointment)
        assert reminder["last_error"] == "Anmeldung am SMTP-Server fehlgeschlagen (535)."
        ok(api.post(f"/api/reminders/{reminder['id']}/retry/", headers=admin))
        right = wrong.with_overrides(smtp_password=_secret(SMTP_PASSWORD))
        assert [o.status for o in Worker(state.engine, lambda: right).run_until_idle()] == ["sent"]
        assert tls.mailbox.logins == ["praxis"]
        assert len(tls.mailbox.messages) == 1

    # Implicit TLS (port 465 style) with the same login.
    later = book(api, admin, practice.body(start_time=at(11), end_time=at(11, 30)))
    with smtp_server(tmp_path, tls="implicit", username="praxis", password=SMTP_PASSWORD) as ssl:
        implicit = right.with_overrides(
            smtp_port=ssl.port,
            smtp_security="tls",
            smtp_ca_file=ssl.ca_file,
            test_now=local(MONDAY, 9),
        )
        assert [o.status for o in Worker(state.engine, lambda: implicit).run_until_idle()] == [
            "sent"
        ]
        assert [m["To"] for m in ssl.mailbox.messages] == ["max@example.org"]
    assert [r["status"] for r in reminders_of(api, admin, later)] == ["sent"]
    assert SMTP_PASSWORD not in caplog.text


@pytest.mark.parametrize(
    ("stored", "sent"),
    [
        ("0171 2345678", "+491712345678"),
        ("(030) 123-456 78", "+493012345678"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+49 171/2345678", "+491712345678"),
        ("keine", None),
        ("", None),
    ],
)
def test_phone_numbers_are_sent_in_international_form(stored: str, sent: str | None) -> None:
    assert normalise_phone(stored) == sent


def test_the_sending_window_moves_reminders_earlier_also_across_a_dst_change() -> None:
    window = Window(time(8), time(20), BERLIN)
    # Sunday 2027-03-28 is the spring-forward day: 02:00 → 03:00.
    assert window.latest_allowed(local(date(2027, 3, 29), 7)) == local(date(2027, 3, 28), 20)
    assert window.latest_allowed(local(date(2027, 3, 28), 21, 30)) == local(date(2027, 3, 28), 20)
    inside = local(date(2027, 3, 28), 12)
    assert window.latest_allowed(inside) == inside
    assert window.next_allowed(local(date(2027, 3, 28), 3, 30)) == local(date(2027, 3, 28), 8)
    assert window.next_allowed(local(date(2027, 10, 30), 23)) == local(date(2027, 10, 31), 8)


def test_patient_data_leaves_the_practice_only_encrypted(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path)  # no database: both refuse before connecting
    message = Message("+491712345678", "", "Erinnerung", "praxi-reminder-1")
    remote_http = SmsChannel(settings.with_overrides(sms_url="http://sms.example.org/send"))
    with pytest.raises(SendError) as refused:
        remote_http.send(message)
    assert refused.value.permanent
    assert refused.value.message.startswith("Das SMS-Gateway muss über https")
    plain_smtp = EmailChannel(
        settings.with_overrides(
            smtp_host="mail.example.org", smtp_security="none", smtp_from="praxis@example.org"
        )
    )
    with pytest.raises(SendError) as refused:
        plain_smtp.send(Message("max@example.org", "Betreff", "Text", "praxi-reminder-1"))
    assert refused.value.permanent
    assert refused.value.message.startswith("Unverschlüsseltes SMTP")
