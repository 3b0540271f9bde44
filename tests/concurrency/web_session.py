"""One signed-in browser tab over real HTTP: its own cookie session and CSRF token, redirects followed.

Each post is followed to the page it leads to, so the flash messages are read (and consumed) there, as a
person sees them; the reply keeps the post's own status, the final status and those messages.
"""
from __future__ import annotations

import html
import http.client
import re
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlsplit

TOKEN = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
FLASH = re.compile(r'<div class="flash flash-(\w+)" role="alert">(.*?)</div>', re.S)
ERROR_PAGE = re.compile(r"<h1>(\d{3})</h1>\s*<p>(.*?)</p>", re.S)
DONE = ("success", "info")  # flash categories the app uses for "this was done" (refusals: danger, warning)
CJK = re.compile(r"[\u4e00-\u9fff]")
HOPS = 4
REDIRECTS = (301, 302, 303)
LIGHT_PAGE = "/concurrency-harness/no-such-page"  # renders base.html (and so the flashes), no queries


def flashes_of(page: str) -> list[tuple[str, str]]:
    return [(category, html.unescape(message).strip()) for category, message in FLASH.findall(page)]


@dataclass
class Reply:
    """What one post got back."""

    status: int = 0  # the post's own status
    final_status: int = 0  # after following redirects
    location: str = ""  # where the post redirected to
    flashes: list[tuple[str, str]] = field(default_factory=list)
    page: str = ""
    failure: str = ""  # the connection broke, or the thread never got an answer

    @property
    def server_error(self) -> bool:
        return bool(self.failure) or self.status >= 500 or self.final_status >= 500

    @property
    def succeeded(self) -> bool:
        return not self.server_error and any(category in DONE for category, _ in self.flashes)

    @property
    def refusal(self) -> str | None:
        """The Chinese message telling this user that nothing was done, if there is one.

        A 403 page ("您没有权限访问此页面") does not count: the user had the right, someone was faster.
        """
        if self.server_error or self.succeeded:
            return None
        for category, message in self.flashes:
            if CJK.search(message):
                return message
        if 400 <= self.final_status < 500 and self.final_status != 403:
            found = ERROR_PAGE.search(self.page)
            if found and CJK.search(found.group(2)):
                return f"{found.group(1)} {html.unescape(found.group(2)).strip()}"
        return None

    def summary(self) -> str:
        if self.failure:
            return f"no answer ({self.failure})"
        if self.server_error:
            return f"HTTP {self.status}/{self.final_status}"
        if self.succeeded:
            return "success: " + next(m for c, m in self.flashes if c in DONE)
        if self.refusal:
            return "refused: " + self.refusal
        found = ERROR_PAGE.search(self.page)
        shown = html.unescape(found.group(2)).strip() if found else re.sub(r"\s+", " ", self.page[:120])
        return f"HTTP {self.final_status} without a reason: {shown}"


class WebSession:
    def __init__(self, base: str):
        parts = urlsplit(base)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self.token = ""

    def login(self, username: str, password: str) -> None:
        self.token = TOKEN.search(self.get("/login").page).group(1)
        reply = self.post("/login", {"username": username, "password": password})
        if reply.status != 302:
            raise RuntimeError(f"{username} could not sign in: {reply.summary()}")
        self.token = TOKEN.search(reply.page).group(1)

    def get(self, path: str) -> Reply:
        status, location, page = self._send("GET", path)
        return self._follow(Reply(status=status, location=location), status, location, page)

    def post(self, path: str, data: dict | None = None, *, follow: bool = True) -> Reply:
        """Post a form and follow the redirect as a browser does; with follow=False (setup steps nobody
        looks at) read the flash messages on a light page instead: the not-found page shows them too."""
        body = urlencode({**(data or {}), "csrf_token": self.token}, doseq=True)
        status, location, page = self._send("POST", path, body)
        reply = Reply(status=status, location=location)
        if follow or status not in REDIRECTS:
            return self._follow(reply, status, location, page)
        reply.final_status, reply.page = status, self._send("GET", LIGHT_PAGE)[2]
        reply.flashes = flashes_of(reply.page)
        return reply

    def _follow(self, reply: Reply, status: int, location: str, page: str) -> Reply:
        for _ in range(HOPS):
            if status not in REDIRECTS or not location:
                break
            parts = urlsplit(location)
            status, location, page = self._send("GET", parts.path + (f"?{parts.query}" if parts.query else ""))
        reply.final_status, reply.page = status, page
        reply.flashes = flashes_of(page)
        return reply

    def _send(self, method: str, path: str, body: str | None = None) -> tuple[int, str, str]:
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())} if self.cookies else {}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        connection = http.client.HTTPConnection(self.host, self.port, timeout=120)
        try:
            connection.request(method, path, body=body.encode() if body is not None else None, headers=headers)
            response = connection.getresponse()
            page = response.read().decode("utf-8", "replace")
            for header in response.headers.get_all("Set-Cookie") or []:
                self._keep(header)
            return response.status, response.headers.get("Location", ""), page
        finally:
            connection.close()

    def _keep(self, header: str) -> None:
        cookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if not morsel.value or morsel["max-age"] == "0" or "1970" in morsel["expires"]:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value
