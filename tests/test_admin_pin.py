from __future__ import annotations

import json
import os
import stat
import sys
from pathlib import Path

import pytest

from chatapp import admin_pin
from chatapp.admin_pin import (
    DEFAULT_PARAMS,
    PinError,
    PinGate,
    ScryptParams,
    check_pin,
    has_pin,
    pin_path,
    pin_weakness,
    remove_pin,
    set_pin,
    validate_pin,
)

# Cheap scrypt for the tests that are about the gate's counting, not the hash.
FAST = ScryptParams(n=2**8, r=1, p=1)


class FakeClock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


def test_a_pin_is_set_and_checked(data_dir):
    assert not has_pin(data_dir) and not check_pin(data_dir, "4071")
    set_pin(data_dir, "4071")
    assert has_pin(data_dir)
    assert check_pin(data_dir, "4071")
    assert not check_pin(data_dir, "4072")
    assert not check_pin(data_dir, "40710")
    assert not check_pin(data_dir, "")


def test_only_a_salted_hash_with_its_parameters_is_stored(data_dir):
    path = set_pin(data_dir, "48151623")
    assert path == pin_path(data_dir) == data_dir / "admin-pin.json"
    raw = path.read_bytes()
    assert b"48151623" not in raw
    record = json.loads(raw)
    assert record["algorithm"] == "scrypt"
    assert (record["n"], record["r"], record["p"], record["dklen"]) == (
        DEFAULT_PARAMS.n, DEFAULT_PARAMS.r, DEFAULT_PARAMS.p, DEFAULT_PARAMS.dklen)
    assert len(bytes.fromhex(record["salt"])) == admin_pin.SALT_BYTES
    # A fresh salt each time: the same PIN never gives the same file.
    again = json.loads(set_pin(data_dir, "48151623").read_bytes())
    assert again["salt"] != record["salt"] and again["hash"] != record["hash"]
    # No temporary files are left beside it.
    assert [p.name for p in data_dir.iterdir()] == ["admin-pin.json"]


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_the_pin_file_is_readable_by_its_owner_only(data_dir):
    mode = stat.S_IMODE(os.stat(set_pin(data_dir, "4071")).st_mode)
    assert mode == 0o600


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX permissions")
def test_a_data_folder_made_for_the_pin_is_private(tmp_path):
    folder = tmp_path / "new-data"  # `admin set-pin` before any other command
    set_pin(folder, "4071")
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700


@pytest.mark.parametrize("pin, words", [
    ("", "empty"),
    ("123", "3 digits"),
    ("1234567890123", "13 digits"),
    ("12a4", "only have the digits"),
    ("40 71", "only have the digits"),
    ("٢٥٨٠", "only have the digits"),  # Arabic-Indic digits pass str.isdigit()
    ("0000", "first PINs"),
    ("1234", "first PINs"),
    ("987654", "first PINs"),
    ("7890", "first PINs"),
])
def test_pin_rules_are_explained(data_dir, pin, words):
    with pytest.raises(PinError) as caught:
        set_pin(data_dir, pin)
    assert words in str(caught.value)
    assert not has_pin(data_dir)


@pytest.mark.parametrize("pin", ["4071", "5083", "2581", "1004", "3691", "48151623",
                                 "904215678312"])
def test_good_pins_pass_the_rules(pin):
    assert validate_pin(pin) == pin


# Issue 21, case 10: common PIN patterns were accepted. Each kind, with its reason.
@pytest.mark.parametrize("pins, reason", [
    (["0000", "7777", "999999"], "one digit over and over"),
    (["1234", "9876", "7890", "8901", "2468", "1357", "9753", "0369", "13579"],
     "go up or down in equal steps"),
    (["2580", "0852", "1470", "0741", "7410", "3690", "147258369", "159357", "789456"],
     "a straight line on the keypad"),
    (["1212", "3838", "6969", "1010", "123123", "4747"],
     "a short group of digits repeated"),
    (["1122", "7788", "112233"], "each digit twice"),
    (["1221", "1001", "8338", "12321", "905509"], "reads the same backwards"),
    (["1987", "1900", "2024", "2099"], "looks like a year"),
])
def test_common_pin_patterns_are_refused_with_the_reason(pins, reason):
    for pin in pins:
        assert reason in pin_weakness(pin), pin
        with pytest.raises(PinError) as caught:
            validate_pin(pin)
        assert reason in str(caught.value) and "first PINs anyone would try" in str(caught.value)
        assert "no pattern" in caught.value.hint


def test_a_new_pin_replaces_the_old_one_and_can_be_removed(data_dir):
    set_pin(data_dir, "4071", FAST)
    set_pin(data_dir, "3691", FAST)
    assert check_pin(data_dir, "3691", FAST) and not check_pin(data_dir, "4071", FAST)
    assert remove_pin(data_dir) and not has_pin(data_dir)
    assert not remove_pin(data_dir)
    assert not check_pin(data_dir, "3691", FAST)


def test_stored_parameters_are_used_and_upgraded_on_a_right_pin(data_dir):
    set_pin(data_dir, "4071", FAST)
    stronger = ScryptParams(n=2**9, r=2, p=1)
    assert not check_pin(data_dir, "4072", stronger)
    assert json.loads(pin_path(data_dir).read_text())["n"] == FAST.n  # a wrong PIN changes nothing
    assert check_pin(data_dir, "4071", stronger)
    record = json.loads(pin_path(data_dir).read_text())
    assert (record["n"], record["r"]) == (stronger.n, stronger.r)
    assert check_pin(data_dir, "4071", stronger)


@pytest.mark.parametrize("content, words", [
    ("{not json", "cannot read"),
    ('{"version": 99, "algorithm": "scrypt"}', "not one this version"),
    ('{"version": 1, "algorithm": "scrypt", "n": 256}', "damaged"),
    ('{"version": 1, "algorithm": "scrypt", "n": 256, "r": 1, "p": 1, "dklen": 32,'
     ' "salt": "zz", "hash": "00"}', "damaged"),
    ('{"version": 1, "algorithm": "scrypt", "n": 1073741824, "r": 8, "p": 1, "dklen": 32,'
     ' "salt": "00", "hash": "00"}', "Unusable"),
])
def test_a_damaged_pin_file_is_a_clear_error(data_dir, content, words):
    data_dir.mkdir()
    pin_path(data_dir).write_text(content)
    with pytest.raises(PinError) as caught:
        check_pin(data_dir, "4071")
    assert words in str(caught.value) and "set-pin" in str(caught.value)


def test_the_gate_makes_a_guesser_wait_longer_and_longer(data_dir):
    set_pin(data_dir, "4071", FAST)
    clock = FakeClock()
    gate = PinGate(data_dir, clock=clock, params=FAST)
    for left in (4, 3, 2, 1):
        result = gate.attempt("1111")
        assert not result.ok and result.wait_s == 0 and result.tries_left == left
    fifth = gate.attempt("1111")
    assert not fifth.ok and fifth.wait_s == 30 and fifth.tries_left == 0
    # While closed, even the right PIN is not checked.
    clock.now += 29
    closed = gate.attempt("4071")
    assert not closed.ok and closed.wait_s == pytest.approx(1)
    clock.now += 1
    assert gate.wait_s() == 0
    assert gate.attempt("1111").wait_s == 60  # one more wrong try: twice as long
    clock.now += 60
    assert gate.attempt("1111").wait_s == 120
    clock.now += 120
    opened = gate.attempt("4071")
    assert opened.ok and opened.tries_left == 5
    # The count starts afresh after the right PIN.
    assert gate.attempt("1111") == admin_pin.PinAttempt(False, 0.0, 4)


def test_the_wait_has_a_ceiling(data_dir):
    set_pin(data_dir, "4071", FAST)
    clock = FakeClock()
    gate = PinGate(data_dir, clock=clock, max_tries=1, lockout_s=30, max_lockout_s=100,
                   params=FAST)
    waits = []
    for _ in range(4):
        waits.append(gate.attempt("1111").wait_s)
        clock.now += waits[-1]
    assert waits == [30, 60, 100, 100]


def test_the_gate_without_a_pin_never_opens(data_dir):
    gate = PinGate(data_dir, clock=FakeClock(), params=FAST)
    assert not gate.attempt("4071").ok
