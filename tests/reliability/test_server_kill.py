"""The real server killed with SIGKILL while it writes, then restarted on the same database.

Browsers hit the server's own write routes (the sign-in ticket swap and sign-out, each a write
transaction) from eight threads; the server is killed mid-stream. The database must pass its
integrity check, hold every write a browser got an answer for, and a restarted server must
answer /healthz and serve the same data. (Page edits over the websocket are the load script's
part; the store under them is the same, and test_kill.py kills it mid-save.)
"""

from __future__ import annotations

import http.client
import os
import signal
import sqlite3
import threading
import time

from tests.reliability.cohort import free_port, health, start_server
from toolkit import auth
from toolkit.demo import create_demo
from toolkit.store import SYSTEM, Store

PEOPLE = 300
KILL_AFTER = 40


def _browse(port: int, people: list[tuple[str, str, int]], redeemed: list[int],
            signed_out: list[int]) -> None:
    for ticket, token, session_id in people:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            conn.request("GET", f"/auth/session?ticket={ticket}")
            response = conn.getresponse()
            response.read()
            if response.status == 303 and token in (response.getheader("set-cookie") or ""):
                redeemed.append(session_id)
            conn.request("GET", "/auth/signout",
                         headers={"Cookie": f"{auth.COOKIE_NAME}={token}"})
            response = conn.getresponse()
            response.read()
            if response.status == 303:
                signed_out.append(session_id)
            conn.close()
        except (OSError, http.client.HTTPException):
            return  # the server is gone: this browser's last request was never confirmed


def test_a_server_killed_mid_write_restarts_with_every_answered_write_kept(isolated_db,
                                                                          tmp_path):
    key = auth.server_key(isolated_db)
    with Store(isolated_db) as store:
        codes = create_demo(store, key)
        before = {t.slug: store.document_bodies(SYSTEM, t.id) for t in store.list_teams(SYSTEM)}
        people = []
        for n in range(PEOPLE):
            signed_in = auth.sign_in_team(store, key, list(codes.values())[n % 3],
                                          f"Person {n}")
            people.append((auth.issue_ticket(store, signed_in), signed_in.token,
                           signed_in.session.id))
    port = free_port()
    log = tmp_path / "server.log"
    server = start_server(isolated_db, port, log)
    redeemed: list[int] = []
    signed_out: list[int] = []
    try:
        browsers = [threading.Thread(target=_browse,
                                     args=(port, people[n::8], redeemed, signed_out))
                    for n in range(8)]
        for b in browsers:
            b.start()
        deadline = time.monotonic() + 60
        while len(signed_out) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.01)
        os.kill(server.pid, signal.SIGKILL)
        server.wait()
        for b in browsers:
            b.join()
    finally:
        if server.poll() is None:
            server.kill()
            server.wait()
    assert KILL_AFTER <= len(signed_out) < PEOPLE  # killed mid-stream, not after the end

    wal = isolated_db.with_name(isolated_db.name + "-wal")
    assert wal.exists() and wal.stat().st_size > 0
    raw = sqlite3.connect(isolated_db)
    assert raw.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
    revoked = {r[0] for r in raw.execute(
        "SELECT id FROM sessions WHERE revoked_at IS NOT NULL").fetchall()}
    spent = {r[0] for r in raw.execute(
        "SELECT session_id FROM auth_tickets WHERE used_at IS NOT NULL").fetchall()}
    raw.close()
    assert set(signed_out) <= revoked
    assert set(redeemed) <= spent

    assert len(spent) < PEOPLE  # the tickets the kill interrupted were left whole, unused

    restarted = start_server(isolated_db, port, log)
    try:
        assert health(port) == {"ok": True}
        # The restarted server writes again: a new sign-in gets its cookie.
        with Store(isolated_db) as store:
            signed_in = auth.sign_in_team(store, key, list(codes.values())[0], "Late comer")
            ticket = auth.issue_ticket(store, signed_in)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("GET", f"/auth/session?ticket={ticket}")
        response = conn.getresponse()
        assert response.status == 303 and signed_in.token in response.getheader("set-cookie")
        conn.close()
    finally:
        restarted.terminate()
        restarted.wait(timeout=20)
    with Store(isolated_db) as store:
        assert store.integrity_ok()
        assert {t.slug: store.document_bodies(SYSTEM, t.id)
                for t in store.list_teams(SYSTEM)} == before
