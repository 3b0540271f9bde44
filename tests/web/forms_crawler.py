"""Find every form a signed-in user can reach: follow the site's own links and read each page's POST forms.

Used by the form fuzzer, so a new form is fuzzed without anyone listing it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

SKIP_LINKS = ("/logout", "/static/")
# files, not pages: they hold no form, and building them (a meeting pack takes seconds) was half the crawl
FILE_LINKS = (".docx", ".xlsx", ".zip", ".pdf", ".csv")


@dataclass
class Field:
    name: str
    kind: str  # text, textarea, select, checkbox, radio, hidden, file, submit, number, date, password…
    value: str = ""
    options: list[str] = field(default_factory=list)


@dataclass
class Form:
    page: str
    action: str
    multipart: bool
    fields: list[Field] = field(default_factory=list)
    submittable: bool = False  # has a submit button (a read-only table in a form has none)
    id: str = ""

    @property
    def signature(self) -> tuple:
        """Forms that differ only in ids (one per proposal, one per row) share a signature."""
        return (re.sub(r"\d+", "N", self.action), tuple(sorted({f.name for f in self.fields})))


class _PageParser(HTMLParser):
    def __init__(self, page: str):
        super().__init__(convert_charrefs=True)
        self.page = page
        self.links: list[str] = []
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: Field | None = None
        self._textarea: Field | None = None
        self.outside_submits: set[str] = set()  # ids of forms submitted by a button elsewhere (form="…")

    def handle_starttag(self, tag, attrs):
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(urljoin(self.page, a["href"]))
        elif tag == "form" and a.get("method", "get").lower() == "post":
            self._form = Form(self.page, urljoin(self.page, a.get("action") or self.page),
                              "multipart" in a.get("enctype", ""), id=a.get("id", ""))
            self.forms.append(self._form)
        elif tag == "button" and a.get("form") and a.get("type", "submit") == "submit":
            self.outside_submits.add(a["form"])
        elif self._form is not None and tag in ("input", "button", "select", "option", "textarea"):
            self._control(tag, a)

    def _control(self, tag: str, a: dict) -> None:
        kind = a.get("type", "text" if tag == "input" else "submit").lower()
        if tag in ("input", "button") and kind in ("submit", "image"):
            self._form.submittable = True
        if tag == "option" and self._select is not None:
            self._select.options.append(a.get("value", ""))
        elif not a.get("name"):
            return
        elif tag in ("input", "button"):
            if kind in ("checkbox", "radio") and "checked" not in a and not a.get("value"):
                a["value"] = "y"
            self._form.fields.append(Field(a["name"], kind, a.get("value", "")))
        elif tag == "select":
            self._select = Field(a["name"], "select")
            self._form.fields.append(self._select)
        elif tag == "textarea":
            self._textarea = Field(a["name"], "textarea")
            self._form.fields.append(self._textarea)

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea.value += data

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


# a list's other orders and its export (platform/datatable.py) show the same forms: not walked again
LIST_VIEWS = re.compile(r"(^|&)(sort|export)=")


def crawl(client, start: str = "/", max_pages: int = 250, per_pattern: int = 14) -> list[Form]:
    """Breadth-first over same-site HTML pages; at most `per_pattern` pages per URL shape (ids as N)."""
    seen_urls, seen_patterns, forms = set(), {}, []
    queue = [start]
    while queue and len(seen_urls) < max_pages:
        url = queue.pop(0)
        parts = urlsplit(url)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if (parts.netloc not in ("", "localhost") or path in seen_urls or path.startswith(SKIP_LINKS)
                or parts.path.endswith(FILE_LINKS) or LIST_VIEWS.search(parts.query)):
            continue
        pattern = re.sub(r"\d+", "N", parts.path)
        if seen_patterns.get(pattern, 0) >= per_pattern:
            continue
        seen_urls.add(path)
        seen_patterns[pattern] = seen_patterns.get(pattern, 0) + 1
        with client.get(path) as response:  # closes downloads (files) unread
            if response.status_code in (301, 302, 303) and "Location" in response.headers:
                queue.append(urljoin(f"http://localhost{path}", response.headers["Location"]))
                continue
            if response.status_code != 200 or response.mimetype != "text/html":
                continue
            parser = _PageParser(f"http://localhost{path}")
            parser.feed(response.get_data(as_text=True))
        forms.extend(f for f in parser.forms if f.submittable or (f.id and f.id in parser.outside_submits))
        queue.extend(parser.links)
    return forms


def path_of(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
