"""The sidebar: whose profile, a search over the history, the conversations and their actions."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ..storage import Conversation, SearchHit
from .a11y import MIN_TARGET_PX, describe
from .i18n import Retranslates
from .screener_dialog import level_name

SEARCH_DELAY_MS = 250  # wait for a pause in typing before searching
NEW_PROFILE = -1  # the profile box's last entry: "Add a profile…"
CONVERSATION_ROLE = Qt.ItemDataRole.UserRole
MESSAGE_ROLE = Qt.ItemDataRole.UserRole + 1


class Sidebar(Retranslates, QFrame):
    conversation_chosen = Signal(int, int)  # conversation id, message id (0: none)
    profile_chosen = Signal(int)  # a profile id, or NEW_PROFILE
    search_changed = Signal(str)  # after a pause in typing; "" when cleared

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("sidebar")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 12, 12, 12)
        layout.setSpacing(8)

        self.profile_label = QLabel(self)
        self.profiles = QComboBox(self)
        self.profiles.setMinimumHeight(MIN_TARGET_PX)
        self.profile_label.setBuddy(self.profiles)
        layout.addWidget(self.profile_label)
        layout.addWidget(self.profiles)
        # The profile's reading level, and the way to change it or to answer the
        # reading questions again.
        self.level_button = self._button()
        self.level_menu = QMenu(self)
        self.choose_level_action = self.level_menu.addAction("")
        self.choose_level_action.setData("level")
        self.screener_action = self.level_menu.addAction("")
        self.screener_action.setData("screener")
        self.level_button.setMenu(self.level_menu)
        layout.addWidget(self.level_button)
        # The profile's passcode (profile_lock.py): set, change or remove it.
        self.passcode_button = self._button()
        layout.addWidget(self.passcode_button)
        self._level = "basic"

        self.heading = QLabel(self, objectName="heading")
        layout.addWidget(self.heading)

        self.search = QLineEdit(self)
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumHeight(MIN_TARGET_PX)
        layout.addWidget(self.search)

        self.new_button = self._button("primary")
        layout.addWidget(self.new_button)

        self.conversations = QListWidget(self)
        self.conversations.setWordWrap(True)
        self.conversations.setUniformItemSizes(False)
        self.conversations.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.conversations.setResizeMode(QListWidget.ResizeMode.Adjust)
        self.conversations.setTextElideMode(Qt.TextElideMode.ElideRight)
        layout.addWidget(self.conversations, stretch=1)
        self.empty = QLabel(self)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        self.empty.hide()
        layout.addWidget(self.empty)

        row = QHBoxLayout()
        self.rename_button = self._button()
        self.delete_button = self._button()
        row.addWidget(self.rename_button)
        row.addWidget(self.delete_button)
        layout.addLayout(row)
        self.settings_button = self._button()
        layout.addWidget(self.settings_button)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(lambda: self.search_changed.emit(self.query()))
        self.search.textChanged.connect(lambda _: self._search_timer.start())
        self.conversations.currentItemChanged.connect(self._on_current)
        self.profiles.activated.connect(
            lambda index: self.profile_chosen.emit(self.profiles.itemData(index))
        )
        self.retranslate()

    def _button(self, object_name: str = "") -> QPushButton:
        button = QPushButton(self)
        button.setMinimumHeight(MIN_TARGET_PX)
        if object_name:
            button.setObjectName(object_name)
        return button

    def retranslate(self) -> None:
        self.profile_label.setText(self.tr("&Profile:"))
        describe(self.profiles, self.tr("Profile"),
                   self.tr("Whose conversations and settings are shown"))
        self.heading.setText(self.tr("Your conversations"))
        self.search.setPlaceholderText(self.tr("Search your conversations"))
        describe(self.search, self.tr("Search conversations"),
                   self.tr("Find words in your past questions and answers (Ctrl+F)"))
        self.new_button.setText(self.tr("New conversation"))
        describe(self.new_button, self.tr("New conversation"),
                   self.tr("Start a new conversation (Ctrl+N)"))
        describe(self.conversations, self.tr("Conversations"),
                   self.tr("Choose a conversation to read it again"))
        self.rename_button.setText(self.tr("Rename"))
        describe(self.rename_button, self.tr("Rename conversation"),
                   self.tr("Give the chosen conversation a new name"))
        self.delete_button.setText(self.tr("Delete"))
        describe(self.delete_button, self.tr("Delete conversation"),
                   self.tr("Delete the chosen conversation for good"))
        self.settings_button.setText(self.tr("Settings"))
        describe(self.settings_button, self.tr("Settings"),
                   self.tr("Model, device, answer length, theme and language (Ctrl+,)"))
        if self.profiles.count():
            self.profiles.setItemText(self.profiles.count() - 1, self.tr("Add a profile…"))
        describe(self.level_button, self.tr("Reading level"),
                   self.tr("How simply answers are written for this profile"))
        describe(self.passcode_button, self.tr("Passcode"),
                 self.tr("Protect this profile's conversations with a passcode, or change "
                         "or remove it"))
        self.choose_level_action.setText(self.tr("Choose the reading level…"))
        self.screener_action.setText(self.tr("Answer the reading questions…"))
        self.show_level(self._level)

    def show_level(self, level: str) -> None:
        self._level = level
        self.level_button.setText(self.tr("Reading level: {level}").format(
            level=level_name(level)))


    # --- contents -----------------------------------------------------------------
    def query(self) -> str:
        return self.search.text().strip()

    def set_profiles(self, profiles: list[tuple[int, str]], current: int) -> None:
        self.profiles.blockSignals(True)
        self.profiles.clear()
        for profile_id, name in profiles:
            self.profiles.addItem(name, profile_id)
        self.profiles.addItem(self.tr("Add a profile…"), NEW_PROFILE)
        self.profiles.setCurrentIndex(max(0, self.profiles.findData(current)))
        self.profiles.blockSignals(False)

    def show_conversations(
        self, conversations: list[Conversation], current: int | None, untitled: str
    ) -> None:
        self._fill([(c.id, 0, c.title or untitled, c.title) for c in conversations], current)
        self._show_empty(not conversations, self.tr("No conversations yet."))

    def show_hits(self, hits: list[SearchHit], current: int | None, untitled: str) -> None:
        rows, seen = [], set()
        for hit in hits:  # best first; one row per conversation
            if hit.conversation_id in seen:
                continue
            seen.add(hit.conversation_id)
            title = hit.conversation_title or untitled
            rows.append((hit.conversation_id, hit.message_id, f"{title}\n{hit.snippet}",
                         hit.snippet))
        self._fill(rows, current)
        self._show_empty(not rows, self.tr("Nothing found for “{query}”.").format(
            query=self.query()))

    def _fill(self, rows: list[tuple[int, int, str, str]], current: int | None) -> None:
        self.conversations.blockSignals(True)
        self.conversations.clear()
        for conversation_id, message_id, text, tip in rows:
            item = QListWidgetItem(text)
            item.setData(CONVERSATION_ROLE, conversation_id)
            item.setData(MESSAGE_ROLE, message_id)
            item.setToolTip(tip)
            self.conversations.addItem(item)
            if conversation_id == current:
                self.conversations.setCurrentItem(item)
        self.conversations.blockSignals(False)

    def show_locked(self, locked: bool, protected: bool) -> None:
        """A locked profile: no list, no search, only what it is (``protected``: it
        has a passcode, which the passcode button then says)."""
        self.passcode_button.setText(self.tr("Passcode…") if protected
                                     else self.tr("Protect with a passcode…"))
        for widget in (self.search, self.new_button, self.conversations, self.rename_button,
                       self.delete_button):
            widget.setEnabled(not locked)
        if locked:
            self._fill([], None)
            self._show_empty(True, self.tr("This profile is locked."))

    def _show_empty(self, empty: bool, text: str) -> None:
        self.empty.setText(text)
        self.empty.setVisible(empty)

    def select(self, conversation_id: int | None) -> None:
        self.conversations.blockSignals(True)
        self.conversations.setCurrentItem(None)
        self.conversations.clearSelection()
        for row in range(self.conversations.count()):
            item = self.conversations.item(row)
            if item.data(CONVERSATION_ROLE) == conversation_id:
                self.conversations.setCurrentItem(item)
        self.conversations.blockSignals(False)

    def _on_current(self, item: QListWidgetItem | None, _previous=None) -> None:
        if item is not None:
            self.conversation_chosen.emit(item.data(CONVERSATION_ROLE),
                                          item.data(MESSAGE_ROLE) or 0)
