"""First run against a real server on a fresh database: wizard → admin → demo data → calendar."""

from __future__ import annotations

import os
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWizard
from pytestqt.qtbot import QtBot

from desktop.session import Session
from desktop.views.main_window import MainWindow
from desktop.views.setup_wizard import SetupWizard, demo_seeder
from tests.desktop.conftest import sign_in

PASSWORD = "praxis-start-2026"


def _next_weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _status(qtbot: QtBot, session: Session) -> dict[str, Any]:
    answers: list[dict[str, Any]] = []
    session.ops.run(lambda api: api.public("GET", "/api/setup/status/")).public().success(
        answers.append
    ).run()
    qtbot.waitUntil(lambda: bool(answers), timeout=10_000)
    return answers[0]


def _fill_admin_page(qtbot: QtBot, wizard: SetupWizard, demo: bool) -> None:
    wizard.show()
    qtbot.waitExposed(wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    page = wizard.admin_page
    assert wizard.currentPage() is page
    page.username.setText("praxis.admin")
    page.first_name.setText("Petra")
    page.last_name.setText("Hausmann")
    page.password.setText(PASSWORD)
    page.password_again.setText(PASSWORD)
    page.demo.setChecked(demo)


def test_first_run_creates_the_admin_loads_demo_data_and_shows_it(
    qtbot: QtBot, session: Session, database_url: str, tmp_path: Path
) -> None:
    assert _status(qtbot, session) == {"needs_setup": True}
    env = {
        **os.environ,
        "PRAXI_DATABASE_URL": database_url,
        "PRAXI_DATA_DIR": str(tmp_path / "seed-data"),
    }
    wizard = SetupWizard(session.ops, seed_demo=demo_seeder(env))
    qtbot.addWidget(wizard)
    _fill_admin_page(qtbot, wizard, demo=True)
    assert wizard.admin_page.demo.isVisible()
    assert wizard.admin_page.demo_hint.isVisible()  # demo users share the admin's password
    finish = wizard.button(QWizard.WizardButton.FinishButton)
    with qtbot.waitSignal(wizard.accepted, timeout=120_000):
        qtbot.mouseClick(finish, Qt.MouseButton.LeftButton)
        qtbot.waitUntil(lambda: wizard.busy, timeout=5_000)  # progress while it works
        assert not finish.isEnabled()
    assert wizard.created is not None
    assert wizard.demo_loaded
    assert _status(qtbot, session) == {"needs_setup": False}

    user = sign_in(qtbot, session, "praxis.admin", PASSWORD)
    assert user.role == "admin"
    day = _next_weekday(date.today())
    main = MainWindow(session, user, clock=lambda: datetime.combine(day, time(9, 0)))
    qtbot.addWidget(main)
    main.resize(1280, 800)
    main.show()
    calendar = main.calendar  # type: ignore[attr-defined]
    qtbot.waitUntil(lambda: calendar.data is not None and not calendar.loading, timeout=10_000)
    scene = calendar.grid.calendar_scene
    titles = [column.title for column in scene.columns]
    assert "Anna Müller" in titles  # a demo doctor
    assert len(scene.items_by_id) > 0  # demo appointments on the day

    # A demo user signs in with the admin's password.
    other = Session(type(session.client)(session.server_url), session.prefs)
    assert sign_in(qtbot, other, "mfa.koch", PASSWORD).role == "assistant"
    other.client.close()


def test_retry_after_the_account_exists_finishes_instead_of_dead_ending(
    qtbot: QtBot, session: Session
) -> None:
    """A second attempt (e.g. the first answer was lost) meets 409 and still finishes."""
    first = SetupWizard(session.ops)
    qtbot.addWidget(first)
    _fill_admin_page(qtbot, first, demo=False)
    assert not first.admin_page.demo.isVisible()  # no seeder: no demo option
    with qtbot.waitSignal(first.accepted, timeout=10_000):
        qtbot.mouseClick(first.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    second = SetupWizard(session.ops)
    qtbot.addWidget(second)
    _fill_admin_page(qtbot, second, demo=False)
    with qtbot.waitSignal(second.accepted, timeout=10_000):
        qtbot.mouseClick(
            second.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton
        )
    assert second.created is not None
    assert second.created.get("already_existed")
    assert sign_in(qtbot, session, "praxis.admin", PASSWORD).role == "admin"
