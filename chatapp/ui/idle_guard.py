"""Idle detection for the kiosk: "Are you still there?", a countdown, then ``expired``.

``IdleGuard`` watches every input event of the application (mouse, touch, key,
wheel, pen). After ``idle_ms`` without any it covers the window with
``IdleOverlay``: a large question, a countdown in seconds and an "I'm still here"
button. Any input, the button included, hides it and starts the wait again; when
the countdown runs out the guard emits ``expired`` and stops, and the kiosk wipes
the visit. Call ``start()`` again when the next visit begins.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QObject, QPoint, Qt, QTimer, Signal
from PySide6.QtGui import (
    QAccessible,
    QAccessibleAnnouncementEvent,
    QMouseEvent,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from .i18n import Retranslates
from .theme import Theme, scaled_font

IDLE_MS = 120_000
COUNTDOWN_MS = 15_000
TICK_MS = 200  # how often the seconds shown are brought up to date
BUTTON_PX = 72  # the "I'm still here" button: well above the 48 px touch minimum
PANEL_PX = 720  # the panel's width, or the window's less a margin when it is narrower
TITLE_SCALE, SECONDS_SCALE, MESSAGE_SCALE, BUTTON_SCALE = 2.2, 4.0, 1.3, 1.6

_T = QEvent.Type
# Input from a person. Mouse moves count too: someone moving the mouse is there.
INPUT_EVENTS = frozenset({
    _T.MouseButtonPress, _T.MouseButtonRelease, _T.MouseButtonDblClick, _T.MouseMove,
    _T.Wheel, _T.KeyPress, _T.KeyRelease, _T.ShortcutOverride, _T.InputMethod,
    _T.TouchBegin, _T.TouchUpdate, _T.TouchEnd, _T.TabletPress, _T.TabletMove,
    _T.TabletRelease, _T.Gesture, _T.NativeGesture, _T.ContextMenu,
})


class IdleOverlay(Retranslates, QFrame):
    """A full-window cover with the question, the seconds left and the button."""

    still_here = Signal()

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("idleOverlay")
        # An opaque cover over the whole window: someone walking past does not see
        # the visit while the countdown runs, and nothing behind it can be tapped.
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setAutoFillBackground(True)
        self.panel = QFrame(self, objectName="idlePanel")
        self.panel.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.panel.setAutoFillBackground(True)
        self.panel.setBackgroundRole(QPalette.ColorRole.Base)
        self.panel.setFrameShape(QFrame.Shape.Box)
        self.title = QLabel(self.panel, objectName="idleTitle")
        # Sizes are set here and again by style_rules() in the window's style sheet,
        # which scales them with the patient's text size.
        self.title.setFont(scaled_font(self.font(), TITLE_SCALE, bold=True))
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.title.setWordWrap(True)
        self.seconds = QLabel(self.panel, objectName="idleSeconds")
        self.seconds.setFont(scaled_font(self.font(), SECONDS_SCALE, bold=True))
        self.seconds.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message = QLabel(self.panel, objectName="idleMessage")
        self.message.setFont(scaled_font(self.font(), MESSAGE_SCALE))
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.button = QPushButton(self.panel, objectName="primary")
        self.button.setFont(scaled_font(self.font(), BUTTON_SCALE, bold=True))
        self.button.setMinimumSize(2 * BUTTON_PX * 3, BUTTON_PX)
        self.button.clicked.connect(self.still_here)
        # Any key answers the question as well as the button does, so the button need
        # not take the focus: the visitor's text field keeps it, with its on-screen
        # keyboard, when the overlay goes.
        self.button.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        inner = QVBoxLayout(self.panel)
        inner.setContentsMargins(40, 32, 40, 32)
        inner.setSpacing(16)
        inner.addWidget(self.title)
        inner.addWidget(self.seconds)
        inner.addWidget(self.message)
        inner.addWidget(self.button, alignment=Qt.AlignmentFlag.AlignHCenter)
        # Centred by stretches, not by an alignment flag: an aligned widget gets its
        # size hint's height, which is one wrapped line short.
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.panel)
        row.addStretch(1)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addLayout(row)
        outer.addStretch(1)
        self._left = 0
        self.retranslate()
        self.hide()

    def retranslate(self) -> None:
        self.setAccessibleName(self.tr("Are you still there?"))
        self.title.setText(self.tr("Are you still there?"))
        self.button.setText(self.tr("I'm still here"))
        self.button.setAccessibleName(self.tr("I'm still here"))
        self.button.setToolTip(self.tr("Keep this visit and go on"))
        self.show_seconds(self._left)

    def show_seconds(self, left: int) -> None:
        self._left = left
        self.seconds.setText(str(left))
        self.seconds.setAccessibleName(self.tr("Seconds left: {seconds}").format(seconds=left))
        if left == 1:
            text = self.tr("For your privacy, this visit will be cleared in 1 second. "
                           "Touch the screen to keep it.")
        else:
            text = self.tr("For your privacy, this visit will be cleared in {seconds} seconds. "
                           "Touch the screen to keep it.").format(seconds=left)
        self.message.setText(text)

    def fit(self) -> None:
        # A fixed width, so the wrapped message's height is known before it is laid out.
        rect = self.parentWidget().rect()
        self.setGeometry(rect)
        self.panel.setFixedWidth(max(240, min(PANEL_PX, rect.width() - 32)))

    def cover(self) -> None:
        """Fill the parent window and come to the front."""
        self.fit()
        self.raise_()
        self.show()


class IdleGuard(QObject):
    """Warns after ``idle_ms`` without input, then emits ``expired`` after ``countdown_ms``.

    Times are in milliseconds so tests can use short ones. The guard watches
    input only between ``start()`` and ``stop()`` (or ``expired``).
    """

    warned = Signal()  # the overlay came up
    resumed = Signal()  # the visitor answered it (the button or any input)
    expired = Signal()  # nobody answered: wipe the visit

    def __init__(
        self,
        window: QWidget,
        idle_ms: int = IDLE_MS,
        countdown_ms: int = COUNTDOWN_MS,
        tick_ms: int = TICK_MS,
    ) -> None:
        super().__init__(window)
        self.window = window
        self.overlay = IdleOverlay(window)
        self.overlay.still_here.connect(self.reset)
        # Precise timers: a coarse one may fire up to 5 % late, 6 s of a two-minute wait.
        self._idle = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._idle.timeout.connect(self._warn)
        self._countdown = QTimer(self, singleShot=True, timerType=Qt.TimerType.PreciseTimer)
        self._countdown.timeout.connect(self._expire)
        self._tick = QTimer(self)
        self._tick.timeout.connect(self._show_left)
        self._last_pos: QPoint | None = None
        self._active = False
        self.set_times(idle_ms, countdown_ms, tick_ms)
        window.installEventFilter(self)  # to keep the overlay the window's size

    def set_times(self, idle_ms: int, countdown_ms: int, tick_ms: int = TICK_MS) -> None:
        """Change the waits (a setting changed); a running wait starts again."""
        if idle_ms <= 0 or countdown_ms <= 0 or tick_ms <= 0:
            raise ValueError("Idle, countdown and tick times must be positive.")
        self._idle.setInterval(idle_ms)
        self._countdown.setInterval(countdown_ms)
        self._tick.setInterval(tick_ms)
        if self._active:
            self.reset()

    def idle_ms(self) -> int:
        return self._idle.interval()

    def countdown_ms(self) -> int:
        return self._countdown.interval()

    def is_active(self) -> bool:
        return self._active

    def is_warning(self) -> bool:
        return self._countdown.isActive()

    def idle_ms_left(self) -> int:
        """Milliseconds until the overlay comes up; -1 when the idle wait is not running."""
        return self._idle.remainingTime()

    def seconds_left(self) -> int:
        """Whole seconds left on the countdown, rounded up (0 when not counting down)."""
        if not self._countdown.isActive():
            return 0
        return math.ceil(max(0, self._countdown.remainingTime()) / 1000)

    def start(self) -> None:
        """Begin watching (a visit began)."""
        if not self._active:
            QApplication.instance().installEventFilter(self)
            self._active = True
        self.reset()

    def stop(self) -> None:
        """Stop watching and take the overlay away (the visit ended, or the admin took over)."""
        if self._active:
            QApplication.instance().removeEventFilter(self)
            self._active = False
        for timer in (self._idle, self._countdown, self._tick):
            timer.stop()
        self.overlay.hide()

    def reset(self) -> None:
        """The visitor is here: hide the overlay and start the idle wait again."""
        if not self._active:
            return
        warned = self._countdown.isActive()
        self._countdown.stop()
        self._tick.stop()
        self.overlay.hide()
        self._idle.start()
        if warned:
            self.resumed.emit()

    def _warn(self) -> None:
        self._countdown.start()
        self._tick.start()
        self._show_left()
        self.overlay.cover()
        QAccessible.updateAccessibility(QAccessibleAnnouncementEvent(
            self.overlay, f"{self.overlay.title.text()} {self.overlay.message.text()}"))
        self.warned.emit()

    def _show_left(self) -> None:
        self.overlay.show_seconds(self.seconds_left())

    def _expire(self) -> None:
        self.stop()
        self.expired.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt API)
        kind = event.type()
        if watched is self.window and kind == QEvent.Type.Resize and self.overlay.isVisible():
            self.overlay.fit()
        elif self._active and kind in INPUT_EVENTS and self._is_input(event):
            self.reset()
        return False

    def _is_input(self, event: QEvent) -> bool:
        if event.type() != QEvent.Type.MouseMove:
            return True
        # Qt also sends moves of its own (a widget appearing under a still pointer):
        # only a move from the window system to a new place is a person.
        if not isinstance(event, QMouseEvent):
            return True
        pos = event.globalPosition().toPoint()
        moved = event.spontaneous() and pos != self._last_pos
        self._last_pos = pos
        return moved


def style_rules(theme: Theme, points: float) -> str:
    """The overlay's rules for the window's style sheet (``theme.style_sheet``)."""
    t = theme
    return f"""
QFrame#idleOverlay {{ background: {t.window}; }}
QFrame#idlePanel {{ background: {t.surface}; border: 3px solid {t.accent}; border-radius: 16px; }}
QLabel#idleTitle {{ font-size: {points * TITLE_SCALE:.1f}pt; font-weight: bold; }}
QLabel#idleSeconds {{ font-size: {points * SECONDS_SCALE:.1f}pt; font-weight: bold;
    color: {t.accent}; }}
QLabel#idleMessage {{ font-size: {points * MESSAGE_SCALE:.1f}pt; }}
QFrame#idlePanel QPushButton#primary {{ font-size: {points * BUTTON_SCALE:.1f}pt;
    min-height: {BUTTON_PX}px; padding: 8px 32px; }}
"""
