"""Read a rendered page the way a browser does: its links, its messages, and what each
form would submit if the user pressed its default button without touching anything.

A change form "re-posted as rendered" must save; this module gives the test exactly
what a browser would send (html.parser from the standard library, no extra package):
inputs with their values, checkboxes and radios only when checked, the selected
options of a select (the first option when none is selected, as browsers do),
textareas without the newline that follows the opening tag, nothing that is disabled,
and the name of the submit button that was pressed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser

_NOT_SUBMITTED = {"submit", "button", "image", "reset", "file"}
# Elements without an end tag (and option, whose end tag is optional): they do not nest.
_FLAT = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "param",
    "source",
    "track",
    "wbr",
    "option",
}


@dataclass
class Form:
    id: str
    action: str
    method: str
    enctype: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    buttons: list[tuple[str, str]] = field(default_factory=list)  # (name, value) of named submit buttons
    required: set[str] = field(default_factory=set)  # names of the fields marked required

    def missing(self) -> set[str]:
        """Required fields that the page leaves empty (the user would have to fill them in)."""
        filled = {name for name, value in self.fields if value != ""}
        return self.required - filled

    def data(self, button: str | None = None) -> dict[str, list[str]]:
        """What a browser posts; ``button`` names the submit button pressed (if it has a name)."""
        posted: dict[str, list[str]] = {}
        for name, value in self.fields:
            posted.setdefault(name, []).append(value)
        for name, value in self.buttons:
            if name == button:
                posted.setdefault(name, []).append(value)
                break
        return posted


@dataclass
class Page:
    forms: list[Form] = field(default_factory=list)
    links: list[str] = field(default_factory=list)
    messages: list[tuple[str, str]] = field(default_factory=list)  # (level, text)
    errors: list[str] = field(default_factory=list)  # texts of errornote and errorlist items

    def form(self, form_id: str | None = None) -> Form | None:
        for form in self.forms:
            if form_id is None or form.id == form_id:
                return form
        return None


class _Parser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.page = Page()
        self.form: Form | None = None
        self.select: dict | None = None
        self.option: dict | None = None
        self.textarea: dict | None = None
        self.capture: list | None = None  # (kind, level, depth, chunks) for messages and errors
        self.depth = 0

    # -- tags ---------------------------------------------------------------------------
    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag not in _FLAT:
            self.depth += 1
        classes = a.get("class", "").split()
        if tag == "a" and a.get("href"):
            self.page.links.append(a["href"])
        elif tag == "form":
            self.form = Form(
                id=a.get("id", ""),
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.page.forms.append(self.form)
        elif tag == "li" and self.capture is None and self._in_messagelist:
            self.capture = ["message", classes[0] if classes else "", self.depth, []]
        elif tag == "ul" and "messagelist" in classes:
            self._in_messagelist = True
        elif tag in ("p", "ul") and ("errornote" in classes or "errorlist" in classes) and self.capture is None:
            self.capture = ["error", "", self.depth, []]
        if self.form is None or "disabled" in a:
            if tag == "select":
                self.select = {"name": None}
            return
        if tag in ("input", "select", "textarea") and a.get("name") and "required" in a:
            self.form.required.add(a["name"])
        if tag == "input":
            kind = a.get("type", "text").lower()
            name = a.get("name")
            if not name:
                return
            if kind == "submit":
                self.form.buttons.append((name, a.get("value", "")))
            elif kind in _NOT_SUBMITTED:
                return
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    self.form.fields.append((name, a.get("value", "on")))
            else:
                self.form.fields.append((name, a.get("value", "")))
        elif tag == "button" and a.get("name") and a.get("type", "submit") == "submit":
            self.form.buttons.append((a["name"], a.get("value", "")))
        elif tag == "select":
            self.select = {"name": a.get("name"), "multiple": "multiple" in a, "options": [], "selected": []}
        elif tag == "option" and self.select is not None and self.select.get("name"):
            self._close_option()
            self.option = {
                "value": a.get("value"),
                "text": [],
                "selected": "selected" in a,
                "disabled": "disabled" in a,
            }
        elif tag == "textarea" and a.get("name"):
            self.textarea = {"name": a["name"], "chunks": []}

    def handle_startendtag(self, tag, attrs):
        self.handle_starttag(tag, attrs)
        if tag not in _FLAT:
            self.depth -= 1

    def handle_endtag(self, tag):
        if tag == "option":
            self._close_option()
        elif tag == "select" and self.select is not None:
            self._close_option()
            self._close_select()
        elif tag == "textarea" and self.textarea is not None and self.form is not None:
            text = "".join(self.textarea["chunks"])
            if text.startswith("\r\n"):
                text = text[2:]
            elif text.startswith("\n"):
                text = text[1:]
            self.form.fields.append((self.textarea["name"], text))
            self.textarea = None
        elif tag == "form":
            self.form = None
        if tag == "ul" and self._in_messagelist and self.capture is None:
            self._in_messagelist = False
        if tag not in _FLAT:
            if self.capture is not None and self.depth == self.capture[2]:
                kind, level, _depth, chunks = self.capture
                text = " ".join("".join(chunks).split())
                (
                    self.page.messages.append((level, text))
                    if kind == "message"
                    else self.page.errors.append(text)
                    if text
                    else None
                )
                self.capture = None
            self.depth -= 1

    def handle_data(self, data):
        if self.textarea is not None:
            self.textarea["chunks"].append(data)
        if self.option is not None:
            self.option["text"].append(data)
        if self.capture is not None:
            self.capture[3].append(data)

    # -- helpers --------------------------------------------------------------------------
    _in_messagelist = False

    def _close_option(self):
        if self.option is None or self.select is None:
            return
        option = self.option
        value = option["value"] if option["value"] is not None else "".join(option["text"]).strip()
        if not option["disabled"]:
            self.select["options"].append(value)
            if option["selected"]:
                self.select["selected"].append(value)
        self.option = None

    def _close_select(self):
        select, self.select = self.select, None
        if not select.get("name") or self.form is None:
            return
        chosen = select["selected"]
        if not select["multiple"]:
            # A single select always submits one value: the last selected one, or the first option.
            chosen = chosen[-1:] or select["options"][:1]
        for value in chosen:
            self.form.fields.append((select["name"], value))


def parse(html: str | bytes) -> Page:
    """The forms, links, messages and error texts of a rendered page."""
    parser = _Parser()
    parser.feed(html.decode("utf-8", "replace") if isinstance(html, bytes) else html)
    parser.close()
    return parser.page
