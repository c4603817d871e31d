"""The check for Qt's X11 libraries, on fake ldd reports: no library is uninstalled."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from chatapp import cli, xcb_libs

PLUGIN = Path("/venv/PySide6/Qt/plugins/platforms/libqxcb.so")
# ldd on PySide6 6.11's libqxcb.so on a Debian 12 with libxcb-cursor0 only (shortened).
LDD_MISSING = """\
\tlinux-vdso.so.1 (0x00007fc53744f000)
\tlibQt6XcbQpa.so.6 => /venv/PySide6/Qt/lib/libQt6XcbQpa.so.6 (0x00007fc537381000)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007fc53731e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-util.so.1 => /lib/x86_64-linux-gnu/libxcb-util.so.1 (0x00007fc537316000)
\tlibxcb-keysyms.so.1 => not found
\tlibc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x00007fc53561e000)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\t/lib64/ld-linux-x86-64.so.2 (0x00007fc537451000)
"""
LDD_COMPLETE = LDD_MISSING.replace("=> not found", "=> /lib/x86_64-linux-gnu/found.so (0x1)")
X11 = {"DISPLAY": ":0"}


def fake_ldd(report: str | None):
    def ldd(path: Path) -> str | None:
        assert path == PLUGIN
        return report
    return ldd


def never(*args):
    raise AssertionError("the check should not have looked")


def check(env=X11, report: str | None = LDD_MISSING, platform: str = "linux") -> str | None:
    return xcb_libs.check(env, platform, lambda: PLUGIN, fake_ldd(report))


def test_missing_libraries_are_read_once_each_in_order():
    assert xcb_libs.missing_libraries(LDD_MISSING) == ["libxcb-icccm.so.4",
                                                       "libxcb-keysyms.so.1"]
    assert xcb_libs.missing_libraries(LDD_COMPLETE) == []


def test_the_message_has_the_install_line_for_the_missing_packages_only():
    text = check()
    assert text is not None
    assert "\n    sudo apt install libxcb-icccm4 libxcb-keysyms1\n" in text
    assert "libxcb-cursor0" not in text
    assert "libxcb-icccm.so.4, libxcb-keysyms.so.1" in text


def test_two_libraries_of_one_package_name_it_once():
    text = xcb_libs.message(["libglib-2.0.so.0", "libgthread-2.0.so.0"])
    assert "sudo apt install libglib2.0-0\n" in text


def test_a_library_of_no_known_package_is_named():
    text = xcb_libs.message(["libxcb-icccm.so.4", "libxcb-future.so.9"])
    assert "sudo apt install libxcb-icccm4\n" in text
    assert "provide: libxcb-future.so.9." in text
    only_unknown = xcb_libs.message(["libxcb-future.so.9"])
    assert "sudo apt" not in only_unknown and "libxcb-future.so.9" in only_unknown


def test_nothing_missing_lets_the_window_open():
    assert check(report=LDD_COMPLETE) is None


@pytest.mark.parametrize("report", [None, ""])
def test_when_ldd_cannot_tell_the_window_is_tried_anyway(report):
    assert check(report=report) is None


def test_without_the_plugin_file_the_window_is_tried_anyway():
    assert xcb_libs.check(X11, "linux", lambda: None, never) is None


def test_without_ldd_on_the_path_run_ldd_gives_up(monkeypatch, tmp_path):
    monkeypatch.setenv("PATH", str(tmp_path))  # an empty folder: no ldd
    assert xcb_libs.run_ldd(PLUGIN) is None


@pytest.mark.parametrize(("env", "platform", "checked"), [
    ({}, "linux", True),
    ({"QT_QPA_PLATFORM": ""}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb:dpi=96"}, "linux", True),
    ({"QT_QPA_PLATFORM": "xcb;wayland"}, "linux", True),
    ({"QT_QPA_PLATFORM": "offscreen"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland"}, "linux", False),
    ({"QT_QPA_PLATFORM": "wayland;xcb"}, "linux", False),
    ({"XDG_SESSION_TYPE": "wayland"}, "linux", False),  # Qt tries Wayland first
    ({"XDG_SESSION_TYPE": "x11"}, "linux", True),
    ({"XDG_SESSION_TYPE": "wayland", "QT_QPA_PLATFORM": "xcb"}, "linux", True),
    ({}, "darwin", False),
    ({}, "win32", False),
])
def test_only_where_qt_would_use_xcb(env, platform, checked):
    assert xcb_libs.uses_xcb(env, platform) is checked
    if not checked:
        assert xcb_libs.check(env, platform, never, never) is None
    else:
        assert check(env, platform=platform) is not None


def test_carechat_exits_with_the_message_instead_of_opening(capsys, monkeypatch, tmp_path):
    import chatapp.ui.app

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(xcb_libs, "xcb_plugin", lambda: PLUGIN)
    monkeypatch.setattr(xcb_libs, "run_ldd", fake_ldd(LDD_MISSING))
    monkeypatch.setattr(chatapp.ui.app, "run_gui", never)
    assert cli.main(["--data-dir", str(tmp_path)]) == cli.EXIT_FAILED
    out, err = capsys.readouterr()
    assert out == "" and "sudo apt install libxcb-icccm4 libxcb-keysyms1" in err


def test_carechat_opens_when_nothing_is_missing(monkeypatch, tmp_path):
    import chatapp.ui.app

    monkeypatch.setenv("QT_QPA_PLATFORM", "xcb")
    monkeypatch.setattr(xcb_libs, "xcb_plugin", lambda: PLUGIN)
    monkeypatch.setattr(xcb_libs, "run_ldd", fake_ldd(LDD_COMPLETE))
    opened = []
    monkeypatch.setattr(chatapp.ui.app, "run_gui", lambda *args: opened.append(args) or 0)
    assert cli.main(["--data-dir", str(tmp_path)]) == 0 and opened


def test_every_x11_library_of_the_installed_plugin_has_its_package():
    # When a PySide6 upgrade brings a new X11 or GL library, the table must know it.
    plugin = xcb_libs.xcb_plugin()
    if plugin is None or shutil.which("ldd") is None:
        pytest.skip("no PySide6 xcb plugin or no ldd here")
    report = xcb_libs.run_ldd(plugin) or ""
    libraries = {line.split()[0] for line in report.splitlines() if "=>" in line}
    x11 = {lib for lib in libraries if lib.startswith(("libxcb", "libX", "libxkb", "libGL",
                                                       "libEGL"))}
    assert x11 and x11 <= set(xcb_libs.PACKAGES)
