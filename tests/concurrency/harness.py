"""Signed-in sessions per demo user, setup steps that must succeed, raw SQL, and parallel posts."""
from __future__ import annotations

import threading

import sqlalchemy as sa

from tests.concurrency.server import Server
from tests.concurrency.web_session import Reply, WebSession

from budget_eval.demo import PASSWORD  # the demo users' password


class SetupError(RuntimeError):
    """A step that prepares a race did not work: the harness (or the app's URLs) needs attention."""


class Harness:
    def __init__(self, server: Server, engine: sa.Engine, threads: int):
        self.server, self.engine, self.threads = server, engine, threads
        self._pools: dict[str, list[WebSession]] = {}
        self._lane = threading.local()  # which session of each user this thread's setup steps use
        self.lock = threading.RLock()
        self.memo: dict = {}  # shared between races and setup threads (an open evaluation year, years taken)

    # --- sessions ---------------------------------------------------------------------------------------
    def sessions(self, username: str, count: int) -> list[WebSession]:
        """`count` separate signed-in sessions of one user (as many browsers), made once and reused."""
        with self.lock:
            pool = self._pools.setdefault(username, [])
            while len(pool) < count:
                session = WebSession(self.server.base)
                session.login(username, PASSWORD)
                pool.append(session)
            return pool[:count]

    def tab(self, username: str) -> WebSession:
        """The session this thread's setup steps use (one per lane, so twin setups never share one)."""
        lane = getattr(self._lane, "number", 0)
        return self.sessions(username, lane + 1)[lane]

    def in_lane(self, lane: int, work, *args):
        self._lane.number = lane
        try:
            return work(self, *args)
        finally:
            self._lane.number = 0

    def step(self, username: str, path: str, data: dict | None = None) -> Reply:
        """One setup post that must succeed (a success message, no server error)."""
        reply = self.tab(username).post(path, data, follow=False)
        if not reply.succeeded:
            raise SetupError(f"{username} POST {path}: {reply.summary()}")
        return reply

    def page(self, username: str, path: str) -> str:
        reply = self.tab(username).get(path)
        if reply.final_status != 200:
            raise SetupError(f"{username} GET {path}: HTTP {reply.final_status}")
        return reply.page

    # --- database ---------------------------------------------------------------------------------------
    def rows(self, query: str, **params) -> list[sa.Row]:
        with self.engine.connect() as conn:
            return conn.execute(sa.text(query), params).all()

    def execute(self, query: str, **params) -> None:
        """A setup write straight to the database (e.g. a file row for a material received as it)."""
        with self.engine.begin() as conn:
            conn.execute(sa.text(query), params)

    def value(self, query: str, **params):
        rows = self.rows(query, **params)
        if len(rows) != 1:
            raise SetupError(f"expected one row, got {len(rows)}: {query} {params}")
        return rows[0][0]

    def user_id(self, username: str) -> int:
        return self.value("SELECT id FROM user_account WHERE username = :u", u=username)

    # --- the race ---------------------------------------------------------------------------------------
    def fire(self, shots: list[tuple[str, str, dict]]) -> list[Reply]:
        """Post every (user, path, form) at once: one thread and one session each, released by a barrier."""
        wanted: dict[str, int] = {}
        for username, _, _ in shots:
            wanted[username] = wanted.get(username, 0) + 1
        pools = {u: list(self.sessions(u, n)) for u, n in wanted.items()}
        sessions = [pools[u].pop() for u, _, _ in shots]
        barrier = threading.Barrier(len(shots))
        replies = [Reply(failure="thread did not finish") for _ in shots]

        def run(index: int) -> None:
            _, path, data = shots[index]
            try:
                barrier.wait(timeout=60)
                replies[index] = sessions[index].post(path, data)
            except Exception as exc:  # noqa: BLE001 (any failure is reported as this post's outcome)
                replies[index] = Reply(failure=repr(exc))

        threads = [threading.Thread(target=run, args=(i,), daemon=True) for i in range(len(shots))]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=180)
        return replies
