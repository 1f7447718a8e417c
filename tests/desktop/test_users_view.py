"""Benutzer (admin): create, change role, reset password, deactivate; refusals in German."""

from __future__ import annotations

import httpx
from PySide6.QtWidgets import QComboBox, QLineEdit
from pytestqt.qtbot import QtBot

from desktop.views.main_window import MainWindow
from desktop.views.unsaved import Answer
from desktop.views.users.page import UsersPage
from tests.desktop.seed import SeededPractice
from tests.desktop.staff import OpenWindow, staff_window
from tests.desktop.unsaved_answers import Answers, click, open_question

__all__ = ["staff_window"]


def users_page(qtbot: QtBot, window: MainWindow) -> UsersPage:
    page = window.open_page("users")
    assert isinstance(page, UsersPage)
    qtbot.waitUntil(lambda: page.loaded_once and not page.loading, timeout=10_000)
    return page


def type_into(page: UsersPage, key: str, value: str) -> None:
    widget = page.form.widgets[key]
    assert isinstance(widget, QLineEdit)
    widget.setText(value)
    widget.textEdited.emit(value)


def choose_role(page: UsersPage, role: str) -> None:
    box = page.form.widgets["role"]
    assert isinstance(box, QComboBox)
    box.setCurrentIndex(box.findData(role))


def login(practice: SeededPractice, username: str, password: str) -> int:
    answer = httpx.post(
        practice.url + "/api/auth/login/",
        json={"username": username, "password": password},
        timeout=10,
    )
    return answer.status_code


def test_admin_creates_a_user_changes_the_role_resets_the_password_and_deactivates(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    window = staff_window("admin")
    assert "users" in window.page_keys
    page = users_page(qtbot, window)
    assert "mfa.klein" in [r["username"] for r in page.rows]
    page.new_button.click()
    type_into(page, "username", "dr.neu")
    type_into(page, "password", "geheim-und-lang")
    type_into(page, "last_name", "Neu")
    choose_role(page, "assistant")
    page.save_button.click()
    qtbot.waitUntil(lambda: any(r["username"] == "dr.neu" for r in page.rows), timeout=5000)
    assert page.current is not None
    assert page.current["role"] == "assistant"
    assert login(practice, "dr.neu", "geheim-und-lang") == 200

    choose_role(page, "doctor")
    assert page.body() == {"role": "doctor"}
    with qtbot.waitSignal(page.saved, timeout=5000):
        page.save_button.click()
    assert page.current["role"] == "doctor"

    page.reset_password("noch-geheimer-1")
    qtbot.waitUntil(lambda: "Passwort wurde geändert" in page.form.top_message.text())
    assert login(practice, "dr.neu", "noch-geheimer-1") == 200

    page.delete_current(confirm=False)
    qtbot.waitUntil(
        lambda: any(r["username"] == "dr.neu" and not r["is_active"] for r in page.rows),
        timeout=5000,
    )
    assert login(practice, "dr.neu", "noch-geheimer-1") != 200


def test_taken_username_and_own_role_change_are_refused(
    qtbot: QtBot, staff_window: OpenWindow
) -> None:
    page = users_page(qtbot, staff_window("admin"))
    page.new_button.click()
    type_into(page, "username", "MFA.Klein")
    type_into(page, "password", "kurz")
    page.save_button.click()
    # The server reports every field's error at once (01 §6): both show after one save.
    qtbot.waitUntil(lambda: page.form.errors["password"].isVisible(), timeout=5000)
    assert page.form.errors["password"].text() == "Mindestens 8 Zeichen."
    assert page.form.errors["username"].isVisible()
    assert page.form.errors["username"].text() == "Dieser Benutzername ist bereits vergeben."
    type_into(page, "password", "lang-genug-jetzt")
    page.save_button.click()
    qtbot.waitUntil(lambda: not page.form.errors["password"].isVisible(), timeout=5000)
    assert page.form.errors["username"].isVisible()
    assert page.form.errors["username"].text() == "Dieser Benutzername ist bereits vergeben."

    me = next(r for r in page.rows if r["username"] == "chef")
    page.open_record(me["id"])  # the refused new user is still in the form: drop it
    click(open_question(qtbot), "Verwerfen")
    assert page.current is not None
    assert page.current["id"] == me["id"]
    choose_role(page, "assistant")
    page.save_button.click()
    qtbot.waitUntil(lambda: page.form.top_message.isVisible(), timeout=5000)
    assert page.form.top_message.text() == "Sie können Ihre eigene Rolle nicht ändern."
    page.discard()  # closing the window would ask about the refused edit


def test_only_admins_see_users_and_audit_log(window: MainWindow) -> None:
    assert "users" not in window.page_keys
    assert "audit_log" not in window.page_keys
    assert "master_data" in window.page_keys


def test_an_edited_user_is_saved_or_kept_before_another_one_opens(
    qtbot: QtBot, staff_window: OpenWindow, practice: SeededPractice
) -> None:
    page = users_page(qtbot, staff_window("admin"))
    klein = next(r for r in page.rows if r["username"] == "mfa.klein")
    other = next(r for r in page.rows if r["username"] == "dr.weber")
    page.open_record(klein["id"])
    answers = Answers(Answer.CANCEL, Answer.SAVE)
    page.guard.ask = answers
    type_into(page, "email", "lena.klein@praxis.example")

    page.new_button.click()  # "Abbrechen": still Lena Klein, with the typed address
    assert answers.asked == 1
    assert page.current is not None
    assert page.current["id"] == klein["id"]
    assert page.form.value("email") == "lena.klein@praxis.example"

    page.open_record(other["id"])  # "Speichern": saved, then Clara Weber opens
    qtbot.waitUntil(
        lambda: page.current is not None and page.current["id"] == other["id"], timeout=5000
    )
    assert answers.asked == 2
    token = httpx.post(
        practice.url + "/api/auth/login/",
        json={"username": "chef", "password": practice.password},
        timeout=10,
    ).json()["access"]
    stored = httpx.get(
        practice.url + f"/api/users/{klein['id']}/",
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    ).json()
    assert stored["email"] == "lena.klein@praxis.example"
