"""The bounds themselves, in-process: reading files, decoding bodies, deadlines, ASCII numbers.

(The same bounds end to end, in child processes under a memory limit: test_bounded_files.py and
test_bounded_http.py.)
"""

from __future__ import annotations

import doctest
import gzip
import os
import zlib
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import tidegauge._numbers as numbers_module
import tidegauge.sources.limits as limits_module
import tidegauge.store.connect as connect_module
from fredserver import gzip_bomb
from tidegauge.config import Settings
from tidegauge.errors import ConfigError, SourceError
from tidegauge.sources.limits import BodyDecoder, deadline, read_file, time_left


def test_docstring_examples_run() -> None:
    for module in (numbers_module, limits_module, connect_module):
        assert doctest.testmod(module).failed == 0


def test_read_file_refuses_what_is_not_a_regular_file(tmp_path: Path, fred_mirror: Path) -> None:
    fifo = tmp_path / "fifo.csv"
    os.mkfifo(fifo)  # opening it for reading must not wait for a writer
    with pytest.raises(SourceError, match="is a FIFO"):
        read_file(fifo, 10**6, "WALCL")
    with pytest.raises(SourceError, match="is a character device"):
        read_file(Path("/dev/zero"), 10**6, "WALCL")
    with pytest.raises(SourceError, match="is a directory"):
        read_file(tmp_path, 10**6, "WALCL")
    real = fred_mirror / "GDP.csv"
    assert read_file(real, real.stat().st_size, "GDP") == real.read_bytes()
    with pytest.raises(SourceError, match="larger than"):
        read_file(real, real.stat().st_size - 1, "GDP")
    with pytest.raises(FileNotFoundError):
        read_file(tmp_path / "absent.csv", 10**6, "GDP")


def test_deadlines_nest_and_the_earlier_one_holds() -> None:
    assert time_left() is None
    with deadline(60):
        outer = time_left()
        assert outer is not None and outer <= 60
        with deadline(3600):  # a later inner deadline does not extend the outer one
            inner = time_left()
            assert inner is not None and inner <= 60
        with deadline(1):
            inner = time_left()
            assert inner is not None and inner <= 1
    assert time_left() is None


@given(st.integers(min_value=1, max_value=5000), st.sampled_from(["gzip", "deflate", "raw"]))
def test_decoding_in_any_chunks_gives_the_body(chunk: int, kind: str) -> None:
    body = b"observation_date,GDP\n" + b"".join(
        f"{1947 + i // 4}-{1 + 3 * (i % 4):02d}-01,{243.164 + i}\n".encode() for i in range(300)
    )
    if kind == "gzip":
        wire, encoding = gzip.compress(body), "gzip"
    elif kind == "deflate":
        wire, encoding = zlib.compress(body), "deflate"
    else:  # "deflate" sent without its zlib header, as some servers do
        c = zlib.compressobj(wbits=-zlib.MAX_WBITS)
        wire, encoding = c.compress(body) + c.flush(), "deflate"
    decoder = BodyDecoder(encoding, len(body), "fred.test")
    out = b"".join(decoder.feed(wire[i : i + chunk]) for i in range(0, len(wire), chunk))
    decoder.finish()
    assert out == body


def test_a_gzip_bomb_stops_at_the_limit() -> None:
    wire = gzip_bomb(64)  # 64 MB of zeros in about 66 KB
    decoder = BodyDecoder("gzip", 10**6, "fred.test")
    produced = 0
    with pytest.raises(SourceError, match="sent more than 1 MB"):
        for i in range(0, len(wire), 65536):
            produced += len(decoder.feed(wire[i : i + 65536]))
    assert produced <= 10**6 + 1  # never more than the budget


@pytest.mark.parametrize(
    ("encoding", "wire", "message"),
    [
        ("gzip", b"\x1f\x8b\x08\x00 not really", "badly compressed"),
        ("br", b"anything", "an encoding tidegauge did not ask for"),
        ("gzip", gzip.compress(b"x" * 1000, mtime=0)[:-12], "ends early"),
    ],
    ids=["not-gzip", "brotli", "cut-gzip"],
)
def test_bad_encodings_are_source_errors(encoding: str, wire: bytes, message: str) -> None:
    with pytest.raises(SourceError, match=message):
        decoder = BodyDecoder(encoding, 10**6, "fred.test")
        decoder.feed(wire)
        decoder.finish()


@pytest.mark.parametrize("raw", ["1_000", "١٠", "１０", "nan", "inf", "1e999", " ", "-3"])
def test_environment_numbers_are_positive_ascii_decimals(
    raw: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TIDEGAUGE_MAX_BODY_MB", raw)
    if raw == " ":
        assert Settings.from_env().max_body_mb == 64.0  # blank: the default
        return
    with pytest.raises(ConfigError, match="TIDEGAUGE_MAX_BODY_MB"):
        Settings.from_env()


def test_limits_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in (
        ("TIDEGAUGE_MAX_BODY_MB", "2.5"),
        ("TIDEGAUGE_MAX_FILE_MB", "1"),
        ("TIDEGAUGE_MAX_TOTAL", "20"),
        ("TIDEGAUGE_MAX_UPDATE", "600"),
        ("TIDEGAUGE_STORE_TIMEOUT", "5"),
    ):
        monkeypatch.setenv(name, value)
    s = Settings.from_env()
    assert (s.max_body_bytes, s.max_file_bytes) == (2_500_000, 1_000_000)
    assert (s.max_total, s.max_update, s.store_timeout) == (20.0, 600.0, 5.0)
