"""Before the window opens on Linux: are the libraries Qt's X11 (xcb) plugin needs there?

Without one of them Qt prints that it "could not load the Qt platform plugin
'xcb'", names a library that may well be installed (libxcb-cursor0), and aborts
the process (SIGABRT, exit status 134). Asking ``ldd`` first lets CareChat say
which packages are missing and exit cleanly. Qt-free on purpose: a missing
libEGL or libfontconfig already fails the import of PySide6.QtWidgets.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path

# Every library that Qt's xcb plugin loads from the system (ldd on PySide6 6.11's
# libqxcb.so, which follows libQt6XcbQpa, libQt6Gui and libQt6DBus), with its
# Debian/Ubuntu package (dpkg -S on Debian 12). The C and C++ runtimes, zlib and
# the libraries these packages depend on are left out: apt brings those along.
PACKAGES: dict[str, str] = {
    "libxcb-cursor.so.0": "libxcb-cursor0",
    "libxcb-icccm.so.4": "libxcb-icccm4",
    "libxcb-keysyms.so.1": "libxcb-keysyms1",
    "libxcb-image.so.0": "libxcb-image0",
    "libxcb-randr.so.0": "libxcb-randr0",
    "libxcb-render-util.so.0": "libxcb-render-util0",
    "libxcb-render.so.0": "libxcb-render0",
    "libxcb-shape.so.0": "libxcb-shape0",
    "libxcb-shm.so.0": "libxcb-shm0",
    "libxcb-sync.so.1": "libxcb-sync1",
    "libxcb-util.so.1": "libxcb-util1",
    "libxcb-xfixes.so.0": "libxcb-xfixes0",
    "libxcb-xkb.so.1": "libxcb-xkb1",
    "libxcb.so.1": "libxcb1",
    "libX11-xcb.so.1": "libx11-xcb1",
    "libX11.so.6": "libx11-6",
    "libxkbcommon.so.0": "libxkbcommon0",
    "libxkbcommon-x11.so.0": "libxkbcommon-x11-0",
    "libGL.so.1": "libgl1",
    "libEGL.so.1": "libegl1",
    "libfontconfig.so.1": "libfontconfig1",
    "libfreetype.so.6": "libfreetype6",
    "libglib-2.0.so.0": "libglib2.0-0",
    "libgthread-2.0.so.0": "libglib2.0-0",
    "libdbus-1.so.3": "libdbus-1-3",
    # Dependencies of the packages above, should one be missing all the same.
    "libGLX.so.0": "libglx0",
    "libGLdispatch.so.0": "libglvnd0",
    "libXau.so.6": "libxau6",
    "libXdmcp.so.6": "libxdmcp6",
}

_NOT_FOUND = re.compile(r"^\s*(\S+)\s+=>\s+not found\s*$", re.MULTILINE)


def missing_libraries(ldd_output: str) -> list[str]:
    """The libraries ``ldd`` reported as "not found", once each, in its order."""
    return list(dict.fromkeys(_NOT_FOUND.findall(ldd_output)))


def packages_for(libraries: Iterable[str]) -> tuple[list[str], list[str]]:
    """The Debian packages that hold ``libraries``, and the libraries of no known package."""
    packages = [PACKAGES[lib] for lib in libraries if lib in PACKAGES]
    unknown = [lib for lib in libraries if lib not in PACKAGES]
    return list(dict.fromkeys(packages)), unknown


def uses_xcb(env: Mapping[str, str], platform: str) -> bool:
    """Whether Qt would start on its X11 (xcb) plugin."""
    if not platform.startswith("linux"):
        return False
    chosen = env.get("QT_QPA_PLATFORM", "")
    if chosen:
        # "xcb", "xcb:option", or a list tried in order: "wayland;xcb".
        return chosen.split(";")[0].split(":")[0].strip() == "xcb"
    # Unset: in a Wayland session Qt 6 tries its Wayland plugin first.
    return env.get("XDG_SESSION_TYPE", "") != "wayland"


def xcb_plugin() -> Path | None:
    """PySide6's own libqxcb.so, found without importing Qt; None where it is not."""
    spec = importlib.util.find_spec("PySide6")
    if spec is None or not spec.submodule_search_locations:
        return None
    for folder in spec.submodule_search_locations:
        plugin = Path(folder) / "Qt" / "plugins" / "platforms" / "libqxcb.so"
        if plugin.is_file():
            return plugin
    return None


def run_ldd(library: Path) -> str | None:
    """``ldd``'s report on ``library``; None where it cannot be had."""
    try:
        done = subprocess.run(["ldd", str(library)], capture_output=True, text=True,
                              timeout=20, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def message(libraries: Iterable[str]) -> str:
    """What to tell a person whose system lacks ``libraries``, with the install line."""
    libraries = list(libraries)
    packages, unknown = packages_for(libraries)
    lines = [
        "carechat: the window cannot open: Qt's X11 support needs system libraries that "
        f"are missing here ({', '.join(libraries)}).",
    ]
    if packages:
        lines += ["Install them (Debian, Ubuntu), then start CareChat again:", "",
                  f"    sudo apt install {' '.join(packages)}", ""]
    if unknown:
        lines.append("Install the packages of your system that provide: "
                     f"{', '.join(unknown)}.")
    lines.append("`carechat ask` works without them.")
    return "\n".join(lines)


def check(
    env: Mapping[str, str] | None = None,
    platform: str | None = None,
    plugin: Callable[[], Path | None] | None = None,
    ldd: Callable[[Path], str | None] | None = None,
) -> str | None:
    """The message to print instead of Qt's abort; None where the window can open.

    None as well wherever this cannot tell (no ldd, PySide6 laid out otherwise,
    another platform): the check must never keep a working setup from starting.
    """
    env = os.environ if env is None else env
    if not uses_xcb(env, sys.platform if platform is None else platform):
        return None
    found = (plugin or xcb_plugin)()
    report = (ldd or run_ldd)(found) if found is not None else None
    missing = missing_libraries(report) if report else []
    return message(missing) if missing else None
