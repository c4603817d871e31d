from __future__ import annotations

import pytest
from PySide6.QtCore import QEvent, QPoint, QPointF, Qt, QTranslator
from PySide6.QtGui import QMouseEvent, QWheelEvent
from PySide6.QtWidgets import QApplication, QLabel, QPlainTextEdit, QVBoxLayout, QWidget

from chatapp.ui.idle_guard import BUTTON_PX, IDLE_MS, IdleGuard

LEFT = Qt.MouseButton.LeftButton
WAIT_MS = 10_000  # a ceiling for waiting on a signal, not a measured time


class Visit(QWidget):
    def __init__(self) -> None:
        super().__init__()
        self.resize(900, 600)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A kiosk visit"))
        self.field = QPlainTextEdit(self)
        layout.addWidget(self.field)


@pytest.fixture
def visit(qtbot):
    win = Visit()
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def make_guard(visit: Visit, idle_ms: int, countdown_ms: int, tick_ms: int = 20) -> IdleGuard:
    guard = IdleGuard(visit, idle_ms=idle_ms, countdown_ms=countdown_ms, tick_ms=tick_ms)
    guard.start()
    return guard


def test_defaults_are_two_minutes_then_fifteen_seconds(visit):
    guard = IdleGuard(visit)
    assert (guard.idle_ms(), guard.countdown_ms()) == (IDLE_MS, 15_000) == (120_000, 15_000)
    assert not guard.is_active() and guard.idle_ms_left() == -1


def test_idle_warns_then_counts_down_then_expires(qtbot, visit):
    guard = make_guard(visit, idle_ms=30, countdown_ms=1_500)
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    overlay = guard.overlay
    assert overlay.isVisible() and guard.is_warning()
    assert overlay.geometry() == visit.rect()  # it covers the whole visit
    assert overlay.title.text() == "Are you still there?"
    assert overlay.seconds.text() == "2"  # 1.5 s, rounded up
    assert "2 seconds" in overlay.message.text()
    qtbot.waitUntil(lambda: overlay.seconds.text() == "1", timeout=WAIT_MS)
    assert "in 1 second." in overlay.message.text()
    assert overlay.seconds.accessibleName() == "Seconds left: 1"
    with qtbot.waitSignal(guard.expired, timeout=WAIT_MS):
        pass
    assert not overlay.isVisible() and not guard.is_active() and not guard.is_warning()


def test_im_still_here_keeps_the_visit(qtbot, visit):
    visit.activateWindow()
    visit.field.setFocus()
    qtbot.waitUntil(visit.field.hasFocus)
    guard = make_guard(visit, idle_ms=30, countdown_ms=60_000)
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    button = guard.overlay.button
    assert button.text() == "I'm still here" and button.isVisible()
    assert button.width() >= 48 and button.height() >= BUTTON_PX >= 48
    with qtbot.waitSignal(guard.resumed, timeout=WAIT_MS):
        qtbot.mouseClick(button, LEFT)
    assert not guard.overlay.isVisible() and not guard.is_warning()
    assert guard.is_active() and guard.idle_ms_left() >= 0  # waiting again
    assert visit.field.hasFocus()  # where the visitor was typing
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):  # and warns again later
        pass


def test_any_input_during_the_countdown_keeps_the_visit(qtbot, visit):
    guard = make_guard(visit, idle_ms=30, countdown_ms=60_000)
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    with qtbot.waitSignal(guard.resumed, timeout=WAIT_MS):
        qtbot.keyClick(guard.overlay, Qt.Key.Key_A)
    assert not guard.overlay.isVisible()
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    with qtbot.waitSignal(guard.resumed, timeout=WAIT_MS):
        qtbot.mouseClick(guard.overlay, LEFT, pos=guard.overlay.rect().topLeft())


@pytest.mark.parametrize("send", ["key", "click", "wheel"])
def test_input_restarts_the_idle_wait(qtbot, visit, send):
    guard = make_guard(visit, idle_ms=60_000, countdown_ms=15_000)
    qtbot.waitUntil(lambda: guard.idle_ms_left() < 60_000 - 20, timeout=WAIT_MS)
    before = guard.idle_ms_left()
    if send == "key":
        qtbot.keyClick(visit.field, Qt.Key.Key_B)
    elif send == "click":
        qtbot.mouseClick(visit.field.viewport(), LEFT)
    else:
        wheel = QWheelEvent(QPointF(5, 5), QPointF(5, 5), QPoint(0, 0), QPoint(0, -120),
                            Qt.MouseButton.NoButton, Qt.KeyboardModifier.NoModifier,
                            Qt.ScrollPhase.NoScrollPhase, False)
        QApplication.sendEvent(visit.field.viewport(), wheel)
    assert guard.idle_ms_left() > before


def test_a_mouse_move_qt_makes_up_does_not_count(qtbot, visit):
    guard = make_guard(visit, idle_ms=60_000, countdown_ms=15_000)
    qtbot.waitUntil(lambda: guard.idle_ms_left() < 60_000 - 20, timeout=WAIT_MS)
    before = guard.idle_ms_left()
    # Not from the window system (not spontaneous): Qt's own, e.g. a widget appearing.
    move = QMouseEvent(QEvent.Type.MouseMove, QPointF(5, 5), QPointF(5, 5),
                       Qt.MouseButton.NoButton, Qt.MouseButton.NoButton,
                       Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(visit.field.viewport(), move)
    assert guard.idle_ms_left() <= before


def test_nothing_happens_before_start_or_after_stop(qtbot, visit):
    guard = IdleGuard(visit, idle_ms=20, countdown_ms=20)
    qtbot.keyClick(visit.field, Qt.Key.Key_A)
    assert guard.idle_ms_left() == -1 and not guard.overlay.isVisible()
    guard.start()
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    guard.stop()
    assert not guard.overlay.isVisible() and not guard.is_active()
    assert guard.idle_ms_left() == -1 and guard.seconds_left() == 0
    qtbot.keyClick(visit.field, Qt.Key.Key_A)
    assert guard.idle_ms_left() == -1


def test_the_overlay_follows_the_window_size(qtbot, visit):
    guard = make_guard(visit, idle_ms=20, countdown_ms=60_000)
    with qtbot.waitSignal(guard.warned, timeout=WAIT_MS):
        pass
    visit.resize(1200, 800)
    qtbot.waitUntil(lambda: guard.overlay.geometry() == visit.rect(), timeout=WAIT_MS)
    assert guard.overlay.panel.width() <= visit.width()


def test_times_must_be_positive_and_can_change(visit):
    guard = IdleGuard(visit)
    with pytest.raises(ValueError):
        guard.set_times(0, 15_000)
    guard.set_times(5_000, 3_000)
    assert (guard.idle_ms(), guard.countdown_ms()) == (5_000, 3_000)


class Marking(QTranslator):
    def translate(self, context, source, disambiguation=None, n=-1):
        return f"» {source}" if context == "IdleOverlay" else None

    def isEmpty(self):  # noqa: N802 (Qt API)
        return False


def test_the_overlay_speaks_the_new_language(qtbot, visit):
    guard = IdleGuard(visit)
    translator = Marking()
    QApplication.installTranslator(translator)
    try:
        qtbot.waitUntil(lambda: guard.overlay.button.text() == "» I'm still here")
        assert guard.overlay.title.text() == "» Are you still there?"
        assert guard.overlay.message.text().startswith("» For your privacy")
    finally:
        QApplication.removeTranslator(translator)
    qtbot.waitUntil(lambda: guard.overlay.button.text() == "I'm still here")
