"""The cache folder keeps at most ``keep`` files of a kind, the newest."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tidegauge.filecache import load_text, save_text


@pytest.mark.parametrize("keep", [2, 20])
def test_a_full_kind_keeps_the_newest_files(
    keep: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never more than ``keep`` files; when there are more, the oldest go, down to ``keep``
    less a tenth of it (a full folder is sorted once in many writes), and the newest stay."""
    monkeypatch.setenv("TIDEGAUGE_CACHE_DIR", str(tmp_path))
    folder = tmp_path / "answers"
    counts = []
    for i in range(3 * keep):
        save_text("answers", f"{i:03d}.json", f"answer {i}", keep=keep)
        os.utime(folder / f"{i:03d}.json", (1_000_000 + i, 1_000_000 + i))  # i-th oldest
        names = sorted(p.name for p in folder.iterdir())
        counts.append(len(names))
        assert len(names) <= keep
        assert names == [f"{j:03d}.json" for j in range(i + 1 - len(names), i + 1)]  # newest
    assert min(counts[keep:]) == keep - keep // 10
    assert load_text("answers", f"{3 * keep - 1:03d}.json") == f"answer {3 * keep - 1}"
    save_text("answers", "other.txt", "another suffix", keep=keep)  # counted apart
    assert (folder / "other.txt").exists() and len(list(folder.glob("*.json"))) == counts[-1]
