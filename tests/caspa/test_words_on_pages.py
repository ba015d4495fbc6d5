"""The demo's pages, walked as the coordinator, a SPoC, a referrer and the chair would: no
Django dashes in a select, no ISO dates, no "(blank)" or "Nhs", and on the meeting, minutes,
pack, control, room, returns, dashboard and referral pages every reference kept on one line."""

import re
from collections import Counter
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlparse

import pytest

from accounts.models import User
from caspa.core.references import REFERENCE_PATTERN

ISO_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b")
NOT_WORDS = re.compile(r"---------|\(blank\)|Nhs number")
NOT_FOLLOWED = re.compile(r"/(logout|static|media|admin)|pdf|download|/export|/room")
# The pages whose references this change keeps on one line (others follow as they are done).
REFERENCES_KEPT = re.compile(
    r"^/(cases/meetings/|cases/waiting|cases/returns|cases/\d+/(close|lead|review|risks|"
    r"assessment)|dashboard/|referrals/)"
)


class Reading(HTMLParser):
    """A page's visible text; and the references in it not inside a `caspa-ref` element."""

    SKIPPED = {"script", "style", "title", "option", "select", "textarea"}
    VOID = {"br", "img", "input", "meta", "link", "hr", "source", "wbr", "col", "area"}

    def __init__(self):
        super().__init__()
        self.stack: list[tuple[str, bool, bool]] = []  # tag, in a ref, hidden or skipped
        self.text: list[str] = []
        self.broken: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        classes = (dict(attrs).get("class") or "").split()
        in_ref, hidden = self.stack[-1][1:] if self.stack else (False, False)
        self.stack.append(
            (
                tag,
                in_ref or "caspa-ref" in classes,
                hidden or tag in self.SKIPPED or "govuk-visually-hidden" in classes,
            )
        )

    def handle_endtag(self, tag):
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data):
        in_ref, hidden = self.stack[-1][1:] if self.stack else (False, False)
        if hidden:
            return
        self.text.append(data)
        if not in_ref:
            self.broken += re.findall(REFERENCE_PATTERN, data)


def read(html: str) -> Reading:
    reading = Reading()
    reading.feed(html)
    return reading


def walk(client, limit=60, per_kind=2):
    """The pages reachable from the home page: (address, page), at most `per_kind` of each
    kind of address (ids counted as one)."""
    todo, seen, kinds = ["/"], set(), Counter()
    while todo and len(seen) < limit:
        url = todo.pop(0)
        kind = re.sub(r"\d+", "N", url.split("?")[0])
        if url in seen or kinds[kind] >= per_kind:
            continue
        seen.add(url)
        kinds[kind] += 1
        response = client.get(url)
        if response.status_code != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        yield url, html
        for href in re.findall(r'href="([^"#]+)"', html):
            href = unescape(href)
            if href.startswith("/") and not urlparse(href).netloc and not NOT_FOLLOWED.search(href):
                todo.append(href)


def test_the_reader_finds_references_outside_a_caspa_ref():
    assert read('<p>Case C-000057 is <span class="caspa-ref">A-000284</span></p>').broken == [
        "C-000057"
    ]
    assert read('<a class="govuk-link caspa-ref" href="/">R-000012</a>').broken == []
    assert read("<title>C-000057</title><option>C-000058</option>").broken == []


@pytest.mark.django_db
@pytest.mark.parametrize("username", ["coordinator", "spoc.housing", "referrer.housing", "chair"])
def test_every_page_reads_in_words(demo, client, username):
    client.force_login(User.objects.get(username=username))
    problems = []
    walked = 0
    for url, html in walk(client):
        walked += 1
        reading = read(html)
        text = " ".join(reading.text)
        problems += [f"{url}: {m}" for m in ISO_DATE.findall(text)]
        problems += [f"{url}: {m}" for m in NOT_WORDS.findall(html)]
        if REFERENCES_KEPT.match(url):
            problems += [f"{url}: {ref} can break" for ref in reading.broken]
    assert walked > 10
    assert not problems, "\n".join(problems[:30])
