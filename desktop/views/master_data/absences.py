"""Absences: before saving, the preview (02 §7.4) shows workdays, return date, remaining
vacation and the appointments that fall into the absence; saving waits for it."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QFrame, QLabel, QListWidget, QVBoxLayout

from desktop.ops import Ops
from desktop.session import User
from desktop.theme import AMBER
from desktop.views.calendar.model import local
from desktop.views.master_data.form import failure_text, german_date, weekday_name
from desktop.views.master_data.table_page import Record, TablePage, TableSpec

PREVIEW_DELAY_MS = 250


def preview_query(values: dict[str, Any], exclude_id: Any) -> dict[str, Any]:
    return {
        "doctor_id": values.get("doctor"),
        "start_date": values.get("start_date"),
        "end_date": values.get("end_date"),
        "reason": values.get("reason") or None,
        "exclude_id": exclude_id,
    }


class AbsencePage(TablePage):
    def __init__(self, ops: Ops, user: User, spec: TableSpec) -> None:
        self.preview: dict[str, Any] | None = None
        self.preview_for: dict[str, Any] | None = None
        self._preview_seq = 0
        self._save_after_preview = False
        super().__init__(ops, user, spec)

    def build_ui(self) -> None:
        super().build_ui()
        self._preview_timer = QTimer(self)
        self._preview_timer.setSingleShot(True)
        self._preview_timer.setInterval(PREVIEW_DELAY_MS)
        self._preview_timer.timeout.connect(self.load_preview)
        box = QFrame()
        box.setObjectName("absencePreview")
        box.setStyleSheet(
            "#absencePreview { background: #FFFFFF; border: 1px solid #D9DEE4;"
            " border-radius: 4px; }"
        )
        layout = QVBoxLayout(box)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.setSpacing(4)
        heading = QLabel(self.tr("Vorschau"))
        heading.setStyleSheet("font-weight: 600;")
        layout.addWidget(heading)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setAccessibleName(self.tr("Vorschau der Abwesenheit"))
        layout.addWidget(self.summary)
        self.affected_label = QLabel()
        self.affected_label.setWordWrap(True)
        layout.addWidget(self.affected_label)
        self.affected = QListWidget()
        self.affected.setAccessibleName(self.tr("Betroffene Termine"))
        self.affected.setMaximumHeight(120)
        layout.addWidget(self.affected)
        self.preview_box = box
        self.extra_panel.addWidget(box)

    # -- preview ------------------------------------------------------------------------------

    def record_title(self, record: Record | None) -> str:
        return self.tr("Neue Abwesenheit") if record is None else self.tr("Abwesenheit")

    def record_shown(self, record: Record | None) -> None:
        self._save_after_preview = False
        writable = self.writable
        self.preview_box.setVisible(writable)
        self.preview = self.preview_for = None
        if writable:
            self._preview_timer.start(0)
        self._update_save()

    def form_edited(self) -> None:
        self.preview_for = None
        self._update_save()
        self._preview_timer.start()

    def _query(self) -> dict[str, Any]:
        exclude = self.current.get("id") if self.current is not None else None
        return preview_query(self.form.values(), exclude)

    def load_preview(self) -> None:
        if not self.writable:
            return
        query = self._query()
        self._preview_seq += 1
        seq = self._preview_seq
        self.summary.setText(self.tr("Vorschau wird berechnet …"))

        def shown(body: dict[str, Any]) -> None:
            if seq == self._preview_seq:
                self._show_preview(query, body)

        def failed(error: Exception) -> None:
            if seq == self._preview_seq:
                self.summary.setText(failure_text(error))
                if self._save_after_preview:
                    self._save_after_preview = False
                    self.guard.save_finished(False)

        self.ops.run(lambda api: api.get("/api/doctor-absences/preview/", **query), self).success(
            shown
        ).failure(failed).run()

    def _show_preview(self, query: dict[str, Any], body: dict[str, Any]) -> None:
        self.preview = body
        self.preview_for = query
        parts = [self.tr("{0} Arbeitstage").format(body.get("duration_workdays", 0))]
        if body.get("return_date"):
            back = date.fromisoformat(body["return_date"])
            parts.append(
                self.tr("zurück am {0}, {1}").format(
                    weekday_name(back.weekday(), short=True), german_date(body["return_date"])
                )
            )
        if body.get("remaining_days") is not None:
            parts.append(self.tr("Resturlaub danach: {0} Tage").format(body["remaining_days"]))
        self.summary.setText(" · ".join(parts))
        affected = body.get("affected_appointments") or []
        self.affected.clear()
        if affected:
            self.affected_label.setText(
                self.tr("⚠ {0} Termine fallen in die Abwesenheit (bleiben bestehen):").format(
                    len(affected)
                )
            )
            self.affected_label.setStyleSheet(
                "color: #5C3D00; background: #FFF4D6; padding: 4px;"
                f" border-left: 3px solid {AMBER};"
            )
            for item in affected:
                start, end = local(item["start_time"]), local(item["end_time"])
                self.affected.addItem(
                    f"{weekday_name(start.weekday(), short=True)} {start:%d.%m.%Y %H:%M}"
                    f"–{end:%H:%M}  {item['patient_name']}"
                )
        else:
            self.affected_label.setText(self.tr("Keine Termine betroffen."))
            self.affected_label.setStyleSheet("color: #2E7D32;")
        self.affected.setVisible(bool(affected))
        self._update_save()
        if self._save_after_preview and self.preview_current():
            self._save_after_preview = False
            if not super().save():
                self.guard.save_finished(False)

    def preview_current(self) -> bool:
        return self.preview_for is not None and self.preview_for == self._query()

    def _update_save(self) -> None:
        ready = self.preview_current() or (not self.dirty and self.current is not None)
        self.save_button.setEnabled(ready and not self.saving)
        self.save_button.setToolTip(
            self.tr("Speichern (Strg+S)") if ready else self.tr("Erst die Vorschau abwarten …")
        )

    def save_under_way(self) -> bool:
        return self.saving or self._save_after_preview

    def save(self) -> bool:
        """Saving waits for the preview of exactly what is in the form."""
        if self.preview_current():
            return super().save()
        if self.saving or not self.writable:
            return False
        self._save_after_preview = True
        self._preview_timer.start(0)
        return True

    def _save_failed(self, error: Exception) -> None:
        super()._save_failed(error)
        self._update_save()
