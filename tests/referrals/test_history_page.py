"""A referral's history page as its referrer reads it: words, never codes, ids or ISO dates."""

import re
from datetime import date
from html import unescape

from referrals import services
from tests.factories import make_referral


def history_text(page: str) -> str:
    section = re.search(r'id="history".*?</ol>', page, re.S).group(0)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", section)))


def changes(page: str) -> list[str]:
    section = re.search(r'id="history".*?</ol>', page, re.S).group(0)
    items = re.findall(r"<li>(.*?)</li>", section, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in items]


def test_the_referrers_history_reads_in_words(client_for, rosa, cora, police):
    referral = make_referral(
        rosa,
        submit=True,
        date_of_birth=date(1985, 6, 6),
        needs={"self_neglect": "No heating", "victimisation": "Cuckooed"},
        agencies_involved=[rosa.agency.pk, police.pk],
    )
    referral = services.referral_link_person(
        referral_id=referral.pk, by=cora, version=referral.version, person_id=None
    )
    services.referral_ask_for_information(
        referral_id=referral.pk, by=cora, version=referral.version, question="Who is the GP?"
    )
    page = client_for(rosa).get(referral.get_absolute_url()).text
    text = history_text(page)
    assert "Date of birth set to: 6 June 1985" in text
    assert "Needs set to: Poor self-care or self-neglect and victimisation by others" in text
    assert "Linked to a person record" in text
    assert "Status: More information asked for" in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)
    assert not re.search(r"\b[a-z]+_[a-z_]+\b", text)  # a stored code such as self_neglect
    assert "(blank)" not in text
    assert "→" not in text
    # A value that is digits alone would be an internal id (NHS numbers read in groups).
    assert "Person set to" not in text
    for line in changes(page):
        for value in re.findall(r"(?:set to: |\(was: )(.*?)\)?$", line):
            assert not value.strip().isdigit(), line
    assert "P-0" not in text  # the person record's reference is the screeners' to see
