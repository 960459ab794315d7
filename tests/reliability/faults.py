"""Switch a disk fault on for every connection the app opens: a full disk or a read-only file.

Why these two pragmas: the tests run as root in CI, and root ignores file permissions, so
`chmod a-w` makes nothing read-only; mounting a tiny or read-only filesystem needs privileges
a CI container may not grant (test_disk_faults.py does it for real when it can). SQLite's own
switches make it fail through exactly the error codes a real fault gives, on every platform:

- `PRAGMA max_page_count = <current size>`: the file may not grow, so a write that needs a new
  page fails with SQLITE_FULL ("database or disk is full"), as on a full disk.
- `PRAGMA query_only = 1`: every write fails with SQLITE_READONLY ("attempt to write a
  readonly database"), as for a file on a read-only mount or owned by another user.

The store sees the error code, not the cause, so this tests the same path a real fault takes.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

from toolkit.store import Store

# Text long enough that saving it needs new database pages (a page is 4 KiB).
LONG = "The East Side has the city's highest rate of gun homicides. " * 60


class Faults:
    def __init__(self) -> None:
        self.kind: str | None = None

    def full(self, db: Path) -> None:
        """Like a real full disk, a small write may still fit in free space inside the file.
        So that every save of a few hundred bytes needs the file to grow, rebuild the database
        with no free pages and 512-byte pages (call it while no connection is open)."""
        conn = sqlite3.connect(db, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # the page size is fixed under WAL
            conn.execute("PRAGMA page_size = 512")
            conn.execute("VACUUM")
            conn.execute("PRAGMA journal_mode = WAL")
            assert conn.execute("PRAGMA page_size").fetchone()[0] == 512
        finally:
            conn.close()
        self.kind = "full"

    def read_only(self) -> None:
        self.kind = "read-only"

    def clear(self) -> None:
        self.kind = None

    def apply(self, store: Store) -> None:
        if self.kind == "read-only":
            store.conn.execute("PRAGMA query_only = 1")
        elif self.kind == "full":
            pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
            store.conn.execute(f"PRAGMA max_page_count = {pages}")
