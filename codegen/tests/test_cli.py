# SPDX-License-Identifier: Apache-2.0
"""The command line: generate (with a depfile), encode/decode, layout."""

import os
import subprocess

from conftest import CODEGEN, REPO

WIREKIT = os.path.join(CODEGEN, "bin", "wirekit")
CAR = os.path.join(REPO, "schemas", "examples", "car.wk")


def run(*args, input=None):
    return subprocess.run([WIREKIT, *args], capture_output=True, input=input)


def test_generate_writes_header_and_depfile(tmp_path):
    trading = os.path.join(REPO, "schemas", "examples", "trading.wk")
    result = run("generate", trading, "-o", str(tmp_path), "--depfile", str(tmp_path / "t.d"))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "trading.wk.hpp").exists()
    depfile = (tmp_path / "t.d").read_text()
    assert depfile.startswith(str(tmp_path / "trading.wk.hpp") + ": ")
    assert os.path.realpath(os.path.join(REPO, "schemas", "examples", "trading_common.wk")) in depfile  # the import
    assert "header.hpp.j2" in depfile and "emit/cpp.py" in depfile  # templates and compiler


def test_encode_decode_round_trip():
    line = ('{"Car":{"serialNumber":1,"modelYear":2,"available":"F","code":"B","someNumbers":[1,2,3,4,5],'
            '"vehicleCode":"x","extras":[],"engine":{"capacity":1,"numCylinders":2,"manufacturerCode":"",'
            '"efficiency":-1,"boosterEnabled":"F","booster":{"boostType":"KERS","horsePower":1}},'
            '"fuelFigures":[],"performanceFigures":[],"manufacturer":"","model":"m","activationCode":""}}\n')
    encoded = run("encode", CAR, input=(line + line).encode())
    assert encoded.returncode == 0, encoded.stderr
    assert len(encoded.stdout) == 2 * (8 + 49 + 4 + 4 + 4 + 5 + 4)
    decoded = run("decode", CAR, input=encoded.stdout)
    assert decoded.returncode == 0
    lines = decoded.stdout.decode().splitlines()
    assert len(lines) == 2 and lines[0] == lines[1]
    assert '"model":"m"' in lines[0] and '"maxRpm":9000' in lines[0]


def test_decode_error_exit_status():
    result = run("decode", CAR, input=b"\x31\x00\x01\x00")
    assert result.returncode == 1
    assert result.stderr.decode() == "wirekit: error: message at byte 0 of the input: baseline: header of 8 bytes at byte 0 runs past the end (4 bytes)\n"


def test_layout_of_one_message():
    result = run("layout", CAR, "--message", "Car")
    assert result.returncode == 0
    assert b"message Car = 1: block 49 bytes" in result.stdout
    assert run("layout", CAR, "-m", "Bike").returncode == 1
    # The message used to be a second positional argument: a name that is no file says what to use.
    old_form = run("layout", CAR, "Car")
    assert old_form.returncode == 2
    assert old_form.stderr.endswith(b"error: Car: no such file; to show one message, use --message Car\n")


def test_encode_invalid_utf8_is_a_one_line_error(tmp_path):
    lines = tmp_path / "bad.jsonl"
    lines.write_bytes(b'\n{"Car":"\xff\xfe"}\n')
    for args, data in ((("-i", str(lines)), None), ((), lines.read_bytes())):
        result = run("encode", CAR, *args, input=data)
        assert result.returncode == 1, result.stderr
        assert result.stderr.decode().startswith("wirekit: error: line 2: not UTF-8: "), result.stderr
        assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr


def test_encode_deeply_nested_json_is_a_one_line_error(tmp_path):
    lines = tmp_path / "deep.jsonl"
    lines.write_bytes(b"[" * 100_000 + b"\n")
    result = run("encode", CAR, "-i", str(lines))
    assert result.returncode == 1, result.stderr
    assert result.stderr.decode().startswith("wirekit: error: line 1: not JSON: "), result.stderr
    assert result.stderr.count(b"\n") == 1 and b"Traceback" not in result.stderr
