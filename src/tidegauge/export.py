"""Export loaded series to CSV, XLSX or Parquet, in canonical units with their metadata.

* **CSV** is plain: one ``date,ID,...`` header, ISO dates, values in full precision, a missing
  value empty, so ``pandas.read_csv(path)`` and every spreadsheet read it as is. The metadata
  (name, unit, as-of date, source of each column) goes into a sidecar file beside it,
  ``<file>-metadata.json``, in the W3C "CSV on the Web" form (``tableSchema.columns``).
* **XLSX** is a real workbook (openpyxl): a ``data`` sheet with dates as dates and numbers as
  numbers, and an ``about`` sheet with the metadata.
* **Parquet** keeps the metadata on each field (``unit``, ``name``, ``as_of``).

The format comes from ``fmt`` or, when it is ``None``, from the file's suffix.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .catalog import CATALOG
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "xlsx", "parquet")
SUFFIXES = {".csv": "csv", ".xlsx": "xlsx", ".parquet": "parquet", ".pq": "parquet"}
"""File suffix → format, when no format is given."""


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


def export_format(out: Path, fmt: str | None) -> str:
    """The format to write ``out`` in: ``fmt``, else its suffix; a ``fmt`` that contradicts
    the suffix (``--format csv --out x.xlsx``) is refused rather than writing CSV into an
    ``.xlsx`` file."""
    by_suffix = SUFFIXES.get(out.suffix.lower())
    if fmt is None:
        if by_suffix is None:
            raise UsageError.t(
                "errors.files.export_suffix", name=out.name, choices=", ".join(FORMATS)
            )
        return by_suffix
    if fmt not in FORMATS:
        raise UsageError.t("errors.files.unknown_format", fmt=fmt, choices=", ".join(FORMATS))
    if by_suffix is not None and by_suffix != fmt:
        raise UsageError.t("errors.files.format_suffix", fmt=fmt, name=out.name)
    return fmt


def metadata(df: pd.DataFrame) -> list[dict[str, Any]]:
    """One record per column of ``df``: id, name, unit, as-of date, frequency, source."""
    out = []
    for sid in df.columns:
        info = CATALOG.get(sid)
        as_of = df.attrs.get("as_of", {}).get(sid)
        name, unit = _name_unit(df, sid)
        out.append(
            {
                "id": str(sid),
                "name": name,
                "unit": unit,
                "as_of": str(as_of) if as_of is not None else None,
                "frequency": info.frequency if info else None,
                "source": info.source if info else None,
            }
        )
    return out


def sidecar_path(out: Path) -> Path:
    """Where the metadata of a CSV export goes: ``<file>-metadata.json`` (CSV on the Web)."""
    return out.with_name(out.name + "-metadata.json")


def write_export(df: pd.DataFrame, out: Path, fmt: str | None = None) -> Path:
    """Write ``df`` (from :meth:`Tidegauge.load`) to ``out`` (atomically: a partial file never
    takes its place); see the module docstring for the formats."""
    fmt = export_format(out, fmt)
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(df, tmp, fmt)
        tmp.replace(out)
        if fmt == "csv":
            side = sidecar_path(out)
            side.write_text(json.dumps(_csvw(df, out), indent=2) + "\n", encoding="utf-8")
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise UsageError.t(
            "errors.files.cannot_write", path=str(out), reason=exc.strerror or str(exc)
        ) from None
    return out


def _csvw(df: pd.DataFrame, out: Path) -> dict[str, Any]:
    columns: list[dict[str, Any]] = [{"name": "date", "titles": "date", "datatype": "date"}]
    for m in metadata(df):
        columns.append(
            {
                "name": m["id"],
                "titles": m["id"],
                "datatype": "double",
                "dc:description": m["name"],
                "unit": m["unit"],
                "as_of": m["as_of"],
                "frequency": m["frequency"],
                "source": m["source"],
            }
        )
    return {
        "@context": "http://www.w3.org/ns/csvw",
        "url": out.name,
        "dc:title": "tidegauge export (canonical units)",
        "dc:created": dt.date.today().isoformat(),
        "tableSchema": {"columns": columns, "primaryKey": "date"},
    }


def _write(df: pd.DataFrame, tmp: Path, fmt: str) -> None:
    import pandas as pd

    index = pd.DatetimeIndex(df.index)
    if fmt == "csv":
        lines = [",".join(["date", *map(str, df.columns)])]
        dates = index.strftime("%Y-%m-%d")
        cols = [df[c].to_numpy(dtype=float) for c in df.columns]
        for i, d in enumerate(dates):
            lines.append(",".join([d, *(_fmt(c[i]) for c in cols)]))
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    elif fmt == "xlsx":
        from .workbook import to_xlsx

        heads = ["date", *map(str, df.columns)]
        cols = [df[c].to_numpy(dtype=float) for c in df.columns]
        rows: list[list[Any]] = [
            [d, *(None if math.isnan(c[i]) else float(c[i]) for c in cols)]
            for i, d in enumerate(index.date)
        ]
        meta = [["id", "name", "unit", "as_of", "frequency", "source"]]
        meta += [[str(m[k] or "") for k in meta[0]] for m in metadata(df)]
        meta += [[], [f"tidegauge export {dt.date.today().isoformat()}; canonical units"]]
        tmp.write_bytes(to_xlsx([("data", heads, rows)], meta))
    else:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise UsageError.t("errors.files.parquet") from None
        fields = [pa.field("date", pa.date32())]
        arrays = [pa.array(index.date)]
        for m in metadata(df):
            sid = m["id"]
            field_meta = {"unit": m["unit"], "name": m["name"], "as_of": str(m["as_of"])}
            fields.append(pa.field(sid, pa.float64(), metadata=field_meta))
            arrays.append(pa.array(df[sid].to_numpy(dtype=float), from_pandas=True))
        table = pa.Table.from_arrays(arrays, schema=pa.schema(fields))
        pq.write_table(table, tmp)


def _name_unit(df: pd.DataFrame, sid: str) -> tuple[str, str]:
    """English name and unit of a column: from ``load``'s attrs (which know ids outside the
    catalog), else the catalog."""
    info = CATALOG.get(sid)
    name = df.attrs.get("names", {}).get(sid) or (info.name["en"] if info else str(sid))
    unit = df.attrs.get("units", {}).get(sid) or (info.unit if info else "")
    return name, unit
