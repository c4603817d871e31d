"""Passcode-protected profiles in the window: nothing shown while locked, the unlock
dialog and its growing wait, locking after idle and when minimised, the passcode
dialog."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QLabel, QListWidget

from chatapp.config import load_settings
from chatapp.storage import StoreLocation, open_store, protection
from chatapp.storage.vault import KEYRING
from chatapp.try_gate import Attempt, TryGate
from chatapp.ui import MainWindow
from chatapp.ui.passcode_dialog import PasscodeDialog, UnlockDialog

PASSCODE = "blue kettle"
TITLE = "Numbat wheeze question"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture(autouse=True)
def _fresh_keyring():
    KEYRING._keys.clear()
    yield
    KEYRING._keys.clear()


def saved_profile(data_dir, protect: bool = True) -> int:
    store = open_store(StoreLocation.in_data_dir(data_dir))
    profile = store.create_profile("Ana")
    store.set_setting("current_profile", profile.id)
    conversation = store.create_conversation(profile.id)
    store.add_message(conversation.id, "user", TITLE)
    store.add_message(conversation.id, "assistant", "An answer about numbats.")
    if protect:
        protection.protect(store, profile.id, PASSCODE)
    store.close()
    KEYRING._keys.clear()  # a new start: nothing unlocked
    return profile.id


def open_window(qtbot, data_dir, answers=()) -> MainWindow:
    win = MainWindow(load_settings(data_dir, "no-model-here", "cpu"))
    qtbot.addWidget(win)
    replies = list(answers)

    def run_dialog(dialog) -> bool:  # the person at the keyboard, scripted
        if isinstance(dialog, UnlockDialog):
            return dialog.enter(replies.pop(0)) if replies else False
        return replies.pop(0)(dialog) if replies else False

    win.run_dialog = run_dialog
    win.show()
    return win


def visible_text(win: MainWindow) -> str:
    texts = [label.text() for label in win.findChildren(QLabel) if label.isVisible()]
    for box in win.findChildren(QListWidget):
        texts += [box.item(n).text() for n in range(box.count())]
    return "\n".join(texts + [i.text for i in win.messages.items()])


def test_a_locked_profile_shows_nothing_of_itself_until_unlocked(qtbot, tmp_path):
    saved_profile(tmp_path)
    win = open_window(qtbot, tmp_path, [PASSCODE])
    assert win.locked_panel.isVisible() and not win.tabs.isVisible()
    assert TITLE not in visible_text(win) and "numbat" not in visible_text(win).lower()
    assert not win.sidebar.search.isEnabled()
    assert "locked" in win.sidebar.empty.text()
    qtbot.mouseClick(win.unlock_button, LEFT)
    assert not win.locked_panel.isVisible() and win.tabs.isVisible()
    assert win.sidebar.conversations.item(0).text() == TITLE
    win.sidebar.search.setText("numbats")
    qtbot.waitUntil(lambda: "numbats" in visible_text(win), timeout=5_000)  # search works


def test_wrong_passcodes_meet_a_growing_wait(qtbot):
    now = [0.0]
    gate = TryGate(lambda passcode: passcode == PASSCODE, clock=lambda: now[0],
                   max_tries=2, lockout_s=30)
    dialog = UnlockDialog("Ana", gate)
    qtbot.addWidget(dialog)
    assert not dialog.enter("nope")
    assert "Tries left before a wait: 1" in dialog.message.text()
    assert not dialog.enter("nope again")
    assert "30 seconds" in dialog.message.text() and not dialog.unlock_button.isEnabled()
    assert not dialog.enter(PASSCODE)  # not even checked while the gate is closed
    now[0] = 31.0
    dialog._show_wait()
    assert dialog.unlock_button.isEnabled() and dialog.enter(PASSCODE)
    assert gate.attempt("x") == Attempt(False, 0.0, 1)  # the count started afresh


def test_it_locks_after_the_idle_time_and_when_minimised(qtbot, tmp_path):
    saved_profile(tmp_path)
    win = open_window(qtbot, tmp_path, [PASSCODE, PASSCODE])
    qtbot.mouseClick(win.unlock_button, LEFT)
    assert win.profile_lock.idle.isActive()
    win.open_conversation(win.store.conversations(win.profile.id)[0].id)
    win.copy_answer()
    assert QGuiApplication.clipboard().text() == "An answer about numbats."
    win.profile_lock.idle.setInterval(150)
    win.profile_lock.idle.start()
    forgotten = []
    win.turns.controller.forget_prompt = lambda: forgotten.append(True)
    with qtbot.waitSignal(win.profile_lock.locked, timeout=5_000):
        pass
    assert win.locked_panel.isVisible() and not win.messages.items()
    assert not win.store.is_unlocked(win.profile.id) and forgotten == [True]
    assert QGuiApplication.clipboard().text() == ""  # CareChat's copy went with the lock
    qtbot.mouseClick(win.unlock_button, LEFT)
    assert win.tabs.isVisible()
    with qtbot.waitSignal(win.profile_lock.locked, timeout=5_000):
        win.setWindowState(Qt.WindowState.WindowMinimized)
    assert TITLE not in visible_text(win)


def test_switching_to_a_protected_profile_asks_and_cancel_stays(qtbot, tmp_path):
    ana = saved_profile(tmp_path)
    store = open_store(StoreLocation.in_data_dir(tmp_path))
    ben = store.create_profile("Ben")
    store.set_setting("current_profile", ben.id)
    store.close()
    win = open_window(qtbot, tmp_path)  # no answers: the dialog is cancelled
    assert win.profile.id == ben.id and not win.locked_panel.isVisible()
    win.conversations.choose_profile(ana)
    assert win.profile.id == ben.id  # still Ben's
    assert win.sidebar.profiles.currentData() == ben.id
    win.run_dialog = lambda dialog: dialog.enter(PASSCODE)
    win.conversations.choose_profile(ana)
    assert win.profile.id == ana and win.sidebar.conversations.item(0).text() == TITLE


def fill_new(passcode: str, again: str | None = None):
    def fill(dialog: PasscodeDialog) -> bool:
        dialog.new.setText(passcode)
        dialog.again.setText(passcode if again is None else again)
        dialog.save()
        return dialog.result() == PasscodeDialog.DialogCode.Accepted
    return fill


def test_the_passcode_dialog_sets_and_removes_it(qtbot, tmp_path):
    saved_profile(tmp_path, protect=False)
    win = open_window(qtbot, tmp_path, [fill_new("short", "shorT"), fill_new(PASSCODE)])
    assert win.sidebar.passcode_button.text() == "Protect with a passcode…"
    win.profile_lock.manage()  # two passcodes that differ: refused, nothing changed
    assert not win.store.is_protected(win.profile.id)
    win.profile_lock.manage()
    assert win.store.is_protected(win.profile.id) and "encrypted" in win.notice.text()
    assert win.sidebar.passcode_button.text() == "Passcode…"
    raw = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    assert TITLE.encode() not in raw

    def remove(dialog: PasscodeDialog) -> bool:
        assert "nobody can recover" in dialog.warning.text()
        dialog.current.setText(PASSCODE)
        dialog.remove()
        return True

    win.run_dialog = lambda dialog: remove(dialog)
    win.profile_lock.manage()
    assert not win.store.is_protected(win.profile.id)
    assert "no longer encrypted" in win.notice.text()
    assert win.sidebar.passcode_button.text() == "Protect with a passcode…"
