"""What OP-Plan shows of an operation's status: labels, block colours and the status actions.

The plan's data (rooms, operations, utilisation) comes typed from ``desktop.api.op_timeline``;
its types are named here too because the benches and older tests build plans from this module.
"""

from __future__ import annotations

from desktop.api.op_timeline import Operation, PlanData, Room, monday_of, shown_week
from desktop.i18n import QT_TRANSLATE_NOOP
from shared.domain.statuses import OperationStatus

__all__ = [
    "ACTION_LABELS",
    "STATUS_COLORS",
    "STATUS_LABELS",
    "TRANSITIONS",
    "Operation",
    "PlanData",
    "Room",
    "monday_of",
    "shown_week",
]

# Source texts, shown through ``OpPlanPage.tr`` (context "OpPlanPage").
STATUS_LABELS: dict[str, str] = {
    OperationStatus.PLANNED: QT_TRANSLATE_NOOP("OpPlanPage", "Geplant"),
    OperationStatus.CONFIRMED: QT_TRANSLATE_NOOP("OpPlanPage", "Bestätigt"),
    OperationStatus.RUNNING: QT_TRANSLATE_NOOP("OpPlanPage", "Läuft"),
    OperationStatus.DONE: QT_TRANSLATE_NOOP("OpPlanPage", "Abgeschlossen"),
    OperationStatus.CANCELLED: QT_TRANSLATE_NOOP("OpPlanPage", "Abgesagt"),
}
#: Block fill per status. Every text on a block sits on this one colour (``timeline``
#: picks black or white for it; tests/desktop/test_op_block_contrast.py checks ≥ 4.5:1).
STATUS_COLORS: dict[str, str] = {
    OperationStatus.PLANNED: "#8FA9C9",
    OperationStatus.CONFIRMED: "#2F6FB2",
    OperationStatus.RUNNING: "#2E7D32",
    OperationStatus.DONE: "#607D8B",
    OperationStatus.CANCELLED: "#9E9E9E",
}
#: The verb that leads to a status (button, menu entry), source texts as above.
ACTION_LABELS: dict[str, str] = {
    OperationStatus.CONFIRMED: QT_TRANSLATE_NOOP("OpPlanPage", "Bestätigen"),
    OperationStatus.RUNNING: QT_TRANSLATE_NOOP("OpPlanPage", "Starten"),
    OperationStatus.DONE: QT_TRANSLATE_NOOP("OpPlanPage", "Beenden"),
    OperationStatus.CANCELLED: QT_TRANSLATE_NOOP("OpPlanPage", "Absagen …"),
}
# Status actions the server accepts (04 §2.6, the table in shared/domain): target status →
# button label (source text, shown through ``OpPlanPage.tr``).
TRANSITIONS: dict[str, list[tuple[OperationStatus, str]]] = {
    status: [(target, ACTION_LABELS[target]) for target in status.next_steps]
    for status in OperationStatus
}
