"""A test client that logs in and adds the CSRF token to every form it posts, as a browser does.

Each request runs in an empty context, so it gets its own app context and database session, as on a
real server; the test's own session (in the fixture's app context) then forgets what it had loaded.
"""
from __future__ import annotations

import contextvars
import re

from flask.testing import FlaskClient

from budget_eval.platform.extensions import db

from tests.web.factories import PASSWORD

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')


class WebClient:
    def __init__(self, app):
        self.app = app
        self.http: FlaskClient = app.test_client()
        self._token: str | None = None

    def csrf_token(self) -> str:
        if self._token is None:
            page = self.get("/login").get_data(as_text=True)
            self._token = TOKEN.search(page).group(1)
        return self._token

    def login(self, user, password: str = PASSWORD):
        response = self.post("/login", {"username": user.username, "password": password})
        assert response.status_code == 302, response.get_data(as_text=True)[:2000]
        return response

    def get(self, url: str, **kwargs):
        return self._isolated(self.http.get, url, **kwargs)

    def post(self, url: str, data: dict | None = None, *, csrf: bool = True, **kwargs):
        data = dict(data or {})
        if csrf:
            data.setdefault("csrf_token", self.csrf_token())
        return self._isolated(self.http.post, url, data=data, **kwargs)

    def _isolated(self, call, *args, **kwargs):
        response = contextvars.Context().run(call, *args, **kwargs)
        db.session.expire_all()
        return response

    def text(self, url: str) -> str:
        response = self.get(url)
        assert response.status_code == 200, (url, response.status_code)
        return response.get_data(as_text=True)

    def job(self, response) -> tuple[str, bytes | None]:
        """Follow a post that started a background job (under TESTING it has run by the time the post returns):
        the job's page, and its result file (None when it left none)."""
        assert response.status_code == 302, response.status_code
        url = response.headers["Location"]
        assert "/jobs/" in url, url
        result = self.get(url + "/result")
        data = result.data if result.status_code == 200 else None
        result.close()  # a file sent from the store stays open until then
        return self.text(url), data
