"""Times read_budget on the shared city budget files against plain pandas readers.

Run from the repository root:  .venv/bin/python benchmarks/budget_import.py [--repeat 3]

For each file in ../shared/data/budgets/ and for a generated workbook ten times the size of
Oakland's (built once into a temporary directory with openpyxl's write-only mode), it prints
the median wall time of `read_budget` beside `pandas.read_excel(engine="openpyxl")` or
`pandas.read_csv` on the same bytes. The pandas numbers are a yardstick, not a target: pandas
infers dtypes (losing leading zeros) and does none of the checking the importer does.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from toolkit.budget_import import read_budget  # noqa: E402

BUDGETS = ROOT.parent / "shared" / "data" / "budgets"
OAKLAND = "oakland_fy2016-17_midcycle_budget_data.xlsx"


def median_seconds(fn: Callable[[], object], repeat: int) -> float:
    """Median wall time of `repeat` calls."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build_tenfold_oakland(target: Path) -> Path:
    """Write Oakland's rows ten times over into one sheet (write-only mode keeps memory flat)."""
    source = openpyxl.load_workbook(BUDGETS / OAKLAND, read_only=True)
    header, *rows = list(source.active.iter_rows(values_only=True))
    source.close()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Budget Data x10")
    ws.append(header)
    for _ in range(10):
        for row in rows:
            ws.append(row)
    path = target / "oakland_x10.xlsx"
    wb.save(path)
    return path


def pandas_reader(path: Path) -> Callable[[], object]:
    """The plain pandas call a first attempt would use for this file."""
    data = path.read_bytes()
    if path.suffix == ".xlsx":
        return lambda: pd.read_excel(io.BytesIO(data), engine="openpyxl")
    return lambda: pd.read_csv(io.BytesIO(data))


def compare(ours: float, theirs: float) -> str:
    """'4.9x faster' or '25x slower', read_budget against pandas."""
    if ours <= theirs:
        return f"{theirs / ours:.1f}x faster"
    return f"{ours / theirs:.0f}x slower"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs per measurement (median)")
    args = parser.parse_args()
    if not BUDGETS.is_dir():
        sys.exit(f"The shared budget files are not at {BUDGETS}.")

    with tempfile.TemporaryDirectory() as tmp:
        print("Building the 10x Oakland workbook ...", file=sys.stderr)
        files = sorted(p for p in BUDGETS.iterdir() if p.suffix in (".csv", ".xlsx"))
        files.append(build_tenfold_oakland(Path(tmp)))

        print(
            f"{'file':<56} {'MB':>5} {'lines':>7} {'read_budget s':>13} {'pandas s':>9}"
            f" {'read_budget vs pandas':>22}"
        )
        for path in files:
            data = path.read_bytes()
            result = read_budget(data, path.name)
            ours = median_seconds(lambda d=data, n=path.name: read_budget(d, n), args.repeat)
            theirs = median_seconds(pandas_reader(path), args.repeat)
            print(
                f"{path.name:<56} {len(data) / 1e6:>5.1f} {len(result.lines):>7,} "
                f"{ours:>13.3f} {theirs:>9.3f} {compare(ours, theirs):>22}",
                flush=True,
            )


if __name__ == "__main__":
    main()
