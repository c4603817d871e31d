"""Which server answers, and its key: the command line, the environment, kiosk.toml."""

from __future__ import annotations

import pytest

from chatapp import cli
from chatapp.config import load_settings
from chatapp.kiosk_config import KioskConfigError, parse_kiosk_config
from chatapp.server_settings import (
    KEY_FILE,
    ServerChoice,
    ServerSettingsError,
    read_key,
    save_key,
)


def test_the_command_line_wins_over_the_environment(tmp_path):
    env = {"CARECHAT_SERVER": "http://10.0.0.9:8000", "CARECHAT_SERVER_MODEL": "env-model"}
    given = load_settings(tmp_path, env=env, server=ServerChoice("http://10.0.0.5:8000"))
    assert given.server.url == "http://10.0.0.5:8000"
    assert given.server.model == "env-model"  # not given on the command line
    assert "server" in given.explicit
    from_env = load_settings(tmp_path, env=env)
    assert from_env.server.url == "http://10.0.0.9:8000"


def test_a_named_key_file_must_exist(tmp_path):
    with pytest.raises(ServerSettingsError, match="does not exist"):
        load_settings(tmp_path, env={}, server=ServerChoice(
            "http://10.0.0.5:8000", key_file=str(tmp_path / "missing.key")))


def test_a_key_file_holds_one_word(tmp_path):
    path = tmp_path / "k"
    path.write_text("two words\n")
    with pytest.raises(ServerSettingsError, match="on one line"):
        read_key(path)


def test_save_key_is_private_and_an_empty_key_removes_it(tmp_path):
    path = save_key(tmp_path, "abc123")
    assert path == tmp_path / KEY_FILE and path.read_text() == "abc123\n"
    assert path.stat().st_mode & 0o077 == 0
    assert save_key(tmp_path, "") is None and not path.exists()
    with pytest.raises(ServerSettingsError):
        save_key(tmp_path, "has space")


def test_cli_refuses_a_bad_server_address(capsys, tmp_path):
    code = cli.main(["--data-dir", str(tmp_path), "--server", "ftp://x", "ask", "Hi"])
    assert code == 2
    assert "not a server address" in capsys.readouterr().err


def test_kiosk_toml_names_the_server():
    config = parse_kiosk_config({"server_url": "http://192.168.1.20:8000",
                                 "server_model": "qwen", "server_fallback": True})
    assert config.server == ServerChoice("http://192.168.1.20:8000", "qwen", "", True)


@pytest.mark.parametrize("values, words", [
    ({"server_url": "192.168.1.20"}, "server_url"),
    ({"server_url": 8000}, "server_url must be text"),
    ({"server_fallback": "yes"}, "server_fallback must be true or false"),
])
def test_kiosk_toml_refuses_bad_server_settings(values, words):
    with pytest.raises(KioskConfigError, match=words):
        parse_kiosk_config(values)
