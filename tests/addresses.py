"""What a page could put in an address: the boxes of its GET forms. A GET form sends what is
in its boxes as the address's query string, which browsers keep in their history and servers
write to their access logs, so a GET form may hold only choices (selects, radios, checkboxes)
and never a box a name could be typed into (docs/privacy.md)."""

from html.parser import HTMLParser

# Boxes a person types into; an input with no type is a text box.
FREE_TEXT_TYPES = {"", "text", "search", "email", "tel", "url", "password", "number"}


class _GetForms(HTMLParser):
    def __init__(self):
        super().__init__()
        self.form = None  # (its action, whether it is sent by GET) while inside a form
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            by_get = (attrs.get("method") or "get").strip().lower() == "get"
            self.form = (attrs.get("action") or "(this page)", by_get)
        elif self.form and self.form[1]:
            kind = (attrs.get("type") or "").strip().lower()
            if tag == "textarea" or (tag == "input" and kind in FREE_TEXT_TYPES):
                self.found.append(f"{tag} name={attrs.get('name')!r} in the form to {self.form[0]}")

    def handle_endtag(self, tag):
        if tag == "form":
            self.form = None


def free_text_in_get_forms(html: str) -> list[str]:
    """Each box of a GET form in the page that a person could type a name into, described; an
    empty list when the page's GET forms hold only choices."""
    parser = _GetForms()
    parser.feed(html)
    parser.close()
    return parser.found
