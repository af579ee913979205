"""Export loaded series to CSV or Parquet, in canonical units with their metadata."""

from __future__ import annotations

import contextlib
import datetime as dt
import math
from pathlib import Path
from typing import TYPE_CHECKING

from .catalog import CATALOG
from .errors import UsageError

if TYPE_CHECKING:
    import pandas as pd

FORMATS = ("csv", "parquet")


def _fmt(value: float) -> str:
    return "" if math.isnan(value) else repr(float(value))


def write_export(df: pd.DataFrame, out: Path, fmt: str) -> Path:
    """Write ``df`` (from :meth:`Tidegauge.load`) to ``out``.

    CSV: ``#`` lines name each column's series, unit and as-of date, then a ``date,...`` header;
    values are written with full precision (``repr``), missing values empty. Read it back with
    ``pandas.read_csv(path, comment="#")``.
    Parquet: the same metadata on each field (``unit``, ``name``, ``as_of``).
    """
    if fmt not in FORMATS:
        raise UsageError.t("errors.files.unknown_format", fmt=fmt, choices=", ".join(FORMATS))
    tmp = out.with_name(out.name + ".partial")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        _write(df, tmp, fmt)
        tmp.replace(out)
    except OSError as exc:
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
        raise UsageError.t(
            "errors.files.cannot_write", path=str(out), reason=exc.strerror or str(exc)
        ) from None
    return out


def _write(df: pd.DataFrame, tmp: Path, fmt: str) -> None:
    import pandas as pd

    index = pd.DatetimeIndex(df.index)
    if fmt == "csv":
        lines = [f"# tidegauge export {dt.date.today().isoformat()}; canonical units"]
        for sid in df.columns:
            name, unit = _name_unit(df, sid)
            lines.append(
                f"# {sid}: {name} | unit: {unit} | as of {df.attrs.get('as_of', {}).get(sid)}"
            )
        lines.append(",".join(["date", *map(str, df.columns)]))
        dates = index.strftime("%Y-%m-%d")
        cols = [df[c].to_numpy(dtype=float) for c in df.columns]
        for i, d in enumerate(dates):
            lines.append(",".join([d, *(_fmt(c[i]) for c in cols)]))
        tmp.write_text("\n".join(lines) + "\n", encoding="utf-8")
    else:
        try:
            import pyarrow as pa
            import pyarrow.parquet as pq
        except ImportError:
            raise UsageError.t("errors.files.parquet") from None
        fields = [pa.field("date", pa.date32())]
        arrays = [pa.array(index.date)]
        for sid in df.columns:
            name, unit = _name_unit(df, sid)
            meta = {
                "unit": unit,
                "name": name,
                "as_of": str(df.attrs.get("as_of", {}).get(sid)),
            }
            fields.append(pa.field(sid, pa.float64(), metadata=meta))
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
