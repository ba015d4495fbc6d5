"""The referral's answers as the referrer checks them: labels in sentence case with their
acronyms ("NHS number"), an NHS number in its groups."""

from referrals.summary import referral_summary
from tests.factories import make_referral


def test_the_referral_page_says_nhs_number_not_nhs(client_for, rosa):
    referral = make_referral(rosa)
    page = client_for(rosa).get(referral.get_absolute_url()).text
    assert "NHS number" in page
    assert "Nhs number" not in page
    assert "943 476 5919" in page


def test_no_answer_label_loses_an_acronym(rosa):
    labels = [
        row.label for section in referral_summary(make_referral(rosa)) for row in section.rows
    ]
    assert "NHS number" in labels  # an answer read back is not marked "(optional)"
    assert not [label for label in labels if "(optional)" in label]
    for label in labels:
        assert label[:1].isupper(), label
        assert "Nhs" not in label, label
        assert "Gp " not in label, label
