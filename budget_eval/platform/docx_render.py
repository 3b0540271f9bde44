"""docxtpl as the one document builder (platform/documents.py) runs it: a DocxTemplate whose costly passes are
proportional to the work, and each template part's Jinja code compiled once per process. docxtpl (and python-docx
under it) is imported when the first document is rendered, not at start-up."""
from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict

from jinja2 import Environment, Template as JinjaTemplate

_PARAGRAPH = re.compile(r"<w:p(?: [^>]*)?>.*?</w:p>", re.DOTALL)
_LISTING = re.compile(r"[\t\a\n\f]")


@functools.cache
def template_class():
    """docxtpl (and python-docx under it) is imported when the first document is rendered, not at start-up."""
    from docxtpl import DocxTemplate

    class Template(DocxTemplate):
        """docxtpl with two passes made proportional to the work they do, for meeting packs of hundreds of reports:
        line breaks and tabs are resolved only in the paragraphs that hold one, and tables are not re-gridded (the
        templates never add columns in a loop)."""

        def resolve_listing(self, xml):
            if not _LISTING.search(xml):
                return xml
            resolve = super().resolve_listing
            return _PARAGRAPH.sub(lambda m: resolve(m.group(0)) if _LISTING.search(m.group(0)) else m.group(0), xml)

        def fix_tables(self, xml):
            from lxml import etree

            return etree.fromstring(xml, parser=etree.XMLParser(recover=True, huge_tree=True))

        def render_xml_part(self, src_xml, part, context, jinja_env=None):
            """docxtpl's, with the part's Jinja template compiled once per process (`compiled`), not per render."""
            src_xml = re.sub(r"<w:p([ >])", r"\n<w:p\1", src_xml)
            self.current_rendering_part = part
            dst_xml = compiled(src_xml).render(context)
            dst_xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", dst_xml)
            dst_xml = dst_xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
            return self.resolve_listing(dst_xml)

    return Template


# Each Word template's parts compiled once per process: keyed by the part's XML as docxtpl prepared it, so an
# edited template file is a new key (compiled again) and the old one ages out. One environment for every render
# (autoescape on: `& < >` in data never break the document).
ENVIRONMENT = Environment(autoescape=True)
_COMPILED: OrderedDict[str, JinjaTemplate] = OrderedDict()
_COMPILED_LOCK = threading.Lock()
COMPILED_KEEP = 64  # parts (a template has one body, and headers and footers)


def compiled(xml: str) -> JinjaTemplate:
    with _COMPILED_LOCK:
        template = _COMPILED.get(xml)
        if template is not None:
            _COMPILED.move_to_end(xml)
            return template
    template = ENVIRONMENT.from_string(xml)
    with _COMPILED_LOCK:
        _COMPILED[xml] = template
        while len(_COMPILED) > COMPILED_KEEP:
            _COMPILED.popitem(last=False)
    return template
