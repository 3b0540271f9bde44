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

    def login(self, user, password: str = PASSWORD, *, through_form: bool = False):
        """Sign in. When the password is right and the account active, the session a successful sign-in leaves is
        written straight into the cookie (flask_login.login_user and sessions.start, as the login view calls them):
        a test about something else then skips the form, the throttle and their audit lines (about a third of the
        time of a typical web test). Tests of signing in itself pass through_form=True."""
        if through_form or not hasattr(user, "check_password") or not user.active or not user.check_password(password):
            response = self.post("/login", {"username": user.username, "password": password})
            assert response.status_code == 302, response.get_data(as_text=True)[:2000]
            return response
        from flask import session
        from flask_login import login_user
        from flask_wtf.csrf import generate_csrf

        from budget_eval.platform.auth import sessions

        with self.http.session_transaction() as cookie:
            before = dict(cookie)

        def sign_in() -> dict:  # in a context of its own, as a request runs (its own app context and g)
            with self.app.test_request_context(environ_base=self.http.environ_base):
                session.update(before)  # the CSRF secret this browser already has, if any
                login_user(db.session.get(type(user), user.id))
                sessions.start(user)
                self._token = generate_csrf()  # the token a page shows (the login page redirects once signed in)
                signed = dict(session)
                db.session.remove()
                return signed

        signed_in = contextvars.Context().run(sign_in)
        with self.http.session_transaction() as cookie:
            cookie.update(signed_in)
            cookie.permanent = True
        db.session.expire_all()
        return None

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
