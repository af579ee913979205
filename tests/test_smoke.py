"""End-to-end: the mirror loads into the store and values come back scaled exactly."""

from __future__ import annotations

from pathlib import Path


def test_walcl_loads_scaled_to_billions(mirror_session, fred_mirror: Path) -> None:
    df = mirror_session.load(["WALCL"])
    raw = {
        line.split(",")[0]: line.split(",")[1]
        for line in (fred_mirror / "WALCL.csv").read_text().splitlines()[1:]
    }
    assert len(df) == len(raw)
    for date, value in df["WALCL"].items():
        assert value == float(raw[date.strftime("%Y-%m-%d")]) / 1000
    assert df.attrs["units"]["WALCL"] == "USD billions"
    assert df.attrs["as_of"]["WALCL"] == max(raw)
