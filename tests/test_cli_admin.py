"""`carechat admin set-pin` / `remove-pin`, and `carechat --kiosk`, which needs the PIN."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from chatapp import admin_pin, cli


@pytest.fixture
def gui(monkeypatch):
    opened = {}

    def fake_run_gui(settings, kiosk=None):
        opened.update(settings=settings, kiosk=kiosk)
        return 0

    import chatapp.ui.app

    monkeypatch.setattr(chatapp.ui.app, "run_gui", fake_run_gui)
    return opened


def test_set_pin_from_stdin_keeps_only_a_salted_hash(capsys, monkeypatch, tmp_path: Path):
    monkeypatch.setattr("sys.stdin", io.StringIO("4071\n"))
    assert cli.main(["--data-dir", str(tmp_path), "admin", "set-pin", "--stdin"]) == 0
    assert "PIN is set" in capsys.readouterr().out
    stored = (tmp_path / admin_pin.PIN_FILENAME).read_text()
    assert "4071" not in stored and json.loads(stored)["algorithm"] == "scrypt"
    assert admin_pin.check_pin(tmp_path, "4071")


def test_set_pin_makes_a_data_folder_not_there_yet(capsys, monkeypatch, tmp_path: Path):
    data_dir = tmp_path / "new" / "data"
    monkeypatch.setattr("sys.stdin", io.StringIO("4071\n"))
    assert cli.main(["--data-dir", str(data_dir), "admin", "set-pin", "--stdin"]) == 0
    assert "PIN is set" in capsys.readouterr().out
    assert admin_pin.check_pin(data_dir, "4071")


def test_set_pin_asks_twice_and_refuses_two_different_pins(capsys, tmp_path):
    answers = iter(["4071", "4072"])
    code = cli.admin_command(cli.load_settings(tmp_path), cli.build_parser().parse_args(
        ["admin", "set-pin"]), read_secret=lambda _prompt: next(answers))
    assert code == cli.EXIT_USAGE
    assert "differ" in capsys.readouterr().err
    assert not admin_pin.has_pin(tmp_path)


@pytest.mark.parametrize(("pin", "says"), [("12", "must have 4 to 12"),
                                            ("1234", "first PINs anyone would try"),
                                            ("2580", "a straight line on the keypad"),
                                            ("12a4", "only have the digits")])
def test_a_weak_or_malformed_pin_is_refused_with_the_rule(capsys, monkeypatch, tmp_path,
                                                          pin, says):
    monkeypatch.setattr("sys.stdin", io.StringIO(pin + "\n"))
    assert cli.main(["--data-dir", str(tmp_path), "admin", "set-pin", "--stdin"]) == 2
    assert says in capsys.readouterr().err
    assert not admin_pin.has_pin(tmp_path)


def test_remove_pin(capsys, tmp_path: Path):
    admin_pin.set_pin(tmp_path, "4071")
    assert cli.main(["--data-dir", str(tmp_path), "admin", "remove-pin"]) == 0
    assert not admin_pin.has_pin(tmp_path)
    assert cli.main(["--data-dir", str(tmp_path), "admin", "remove-pin"]) == 0
    assert "No PIN was set" in capsys.readouterr().out


def test_kiosk_without_a_pin_does_not_start_and_says_how_to_set_one(capsys, gui, tmp_path):
    assert cli.main(["--data-dir", str(tmp_path), "--kiosk"]) == cli.EXIT_USAGE
    assert "carechat admin set-pin" in capsys.readouterr().err
    assert gui == {}


@pytest.mark.parametrize("how", [["--kiosk"], ["gui", "--kiosk"], ["env"], ["file"]])
def test_kiosk_mode_from_the_flag_the_environment_or_kiosk_toml(monkeypatch, gui, tmp_path,
                                                                how):
    admin_pin.set_pin(tmp_path, "4071")
    argv = ["--data-dir", str(tmp_path)]
    if how == ["env"]:
        monkeypatch.setenv("CARECHAT_KIOSK", "1")
    elif how == ["file"]:
        (tmp_path / "kiosk.toml").write_text("enabled = true\nidle_seconds = 60\n")
    else:
        argv += how
    assert cli.main(argv) == 0
    assert gui["kiosk"] is not None
    if how == ["file"]:
        assert gui["kiosk"].idle_seconds == 60


def test_a_broken_kiosk_toml_stops_with_the_reason(capsys, gui, tmp_path):
    admin_pin.set_pin(tmp_path, "4071")
    (tmp_path / "kiosk.toml").write_text("idle_seconds = 1\n")
    assert cli.main(["--data-dir", str(tmp_path), "--kiosk"]) == cli.EXIT_USAGE
    assert "idle_seconds must be a whole number from 15" in capsys.readouterr().err
    assert gui == {}
