"""Every control a patient can reach says what it is to screen readers and on hover."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

MIN_TARGET_PX = 44  # the smallest comfortable touch or click target, in pixels


def describe(widget: QWidget, name: str, tip: str) -> None:
    """Give ``widget`` its accessible name and its tooltip (both translated by the caller)."""
    widget.setAccessibleName(name)
    widget.setToolTip(tip)
