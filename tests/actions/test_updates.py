"""The owning agency's SPoC updates its actions; every update is kept with who wrote it."""

from datetime import timedelta
from html import escape

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from actions import rules, services
from actions.models import Action, ActionStatus
from tests.factories import fill_pathway
from tests.strategies import ANY_VALUE, SLOW_OK, VALUE


@pytest.fixture
def action(rosa, cora, housing):
    [(referral, _)] = fill_pathway(rosa, cora, 1)
    return services.action_agree(
        case=referral.case,
        by=cora,
        owner_agency=housing,
        description="Repair the heating",
        due_on=timezone.localdate() + timedelta(days=1),
    )


def make_overdue(action, days=3):
    Action.objects.filter(pk=action.pk).update(due_on=timezone.localdate() - timedelta(days=days))


def test_the_spoc_sees_their_agencys_actions_overdue_first(
    client_for, action, cora, harriet, housing
):
    later = services.action_agree(
        case=action.case,
        by=cora,
        owner_agency=housing,
        description="Book a review",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    make_overdue(later)
    page = client_for(harriet).get(reverse("actions:list")).text
    assert page.index(later.reference) < page.index(action.reference)
    assert "Overdue" in page


def test_the_spoc_updates_an_action_and_the_update_is_kept(client_for, action, harriet):
    response = client_for(harriet).post(
        reverse("actions:update", args=[action.pk]),
        {"version": action.version, "status": "in_progress", "note": "Engineer booked for Friday"},
    )
    assert (response.status_code, response["Location"]) == (302, reverse("actions:list"))
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS
    [update] = action.updates.all()
    assert (update.written_by, update.note) == (harriet, "Engineer booked for Friday")
    assert "In progress" in action.case.events.last().summary


@pytest.mark.parametrize("status", ["not_done", "no_longer_needed"])
def test_not_done_and_no_longer_needed_must_say_why(client_for, action, harriet, status):
    response = client_for(harriet).post(
        reverse("actions:update", args=[action.pk]), {"version": action.version, "status": status}
    )
    assert response.status_code == 200
    assert escape(rules.NOTE_NEEDED[status]) in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


def test_an_update_that_says_nothing_new_is_refused_by_the_note(client_for, action, harriet):
    response = client_for(harriet).post(
        reverse("actions:update", args=[action.pk]),
        {"version": action.version, "status": action.status, "note": "  "},
    )
    assert response.status_code == 200
    assert escape(rules.NOTHING_TO_UPDATE) in response.text
    assert not action.updates.exists()
    # The same status with a note is news.
    services.action_update(
        action_id=action.pk, by=harriet, version=action.version, status="open", note="Rang him"
    )
    assert action.updates.get().note == "Rang him"


def test_two_spocs_updating_at_once_the_second_is_told(client_for, action, harriet, housing):
    from tests.factories import UserFactory

    colleague = UserFactory(username="deputy", role="spoc", agency=housing)
    url = reverse("actions:update", args=[action.pk])
    client_for(harriet).post(url, {"version": action.version, "status": "done", "note": "Fixed"})
    response = client_for(colleague).post(
        url, {"version": action.version, "status": "in_progress", "note": "Chasing"}
    )
    assert response.status_code == 409
    assert "Someone else updated this action" in response.text
    assert "Chasing" in response.text
    action.refresh_from_db()
    assert action.status == ActionStatus.DONE


def test_another_agency_cannot_see_or_update_the_action(client_for, action, piers, maya):
    for outsider in (piers, maya):
        response = client_for(outsider).get(reverse("actions:detail", args=[action.pk]))
        assert response.status_code == 404
        response = client_for(outsider).post(
            reverse("actions:update", args=[action.pk]),
            {"version": action.version, "status": "done", "note": "Not ours"},
        )
        assert response.status_code == 404
    action.refresh_from_db()
    assert action.status == ActionStatus.OPEN


@SLOW_OK
@given(data=st.data())
def test_no_input_to_an_action_update_causes_a_server_error(harriet_client, action, data):

    action.refresh_from_db()
    payload = data.draw(
        st.fixed_dictionaries(
            {"version": st.one_of(st.just(str(action.version)), VALUE)},
            optional={"status": ANY_VALUE, "note": ANY_VALUE},
        )
    )
    response = harriet_client.post(reverse("actions:update", args=[action.pk]), payload)
    assert response.status_code in (200, 302, 409)


def test_the_spocs_home_page_lists_their_agencys_actions_overdue_first(
    client_for, action, cora, harriet, housing
):
    later = services.action_agree(
        case=action.case,
        by=cora,
        owner_agency=housing,
        description="Book a review",
        due_on=timezone.localdate() + timedelta(days=30),
    )
    make_overdue(later)
    page = client_for(harriet).get(reverse("home")).text
    assert "Your agency's actions" in page
    assert page.index(later.reference) < page.index(action.reference)
    assert "Your agency's actions" not in client_for(cora).get(reverse("home")).text


@SLOW_OK
@given(data=st.data())
def test_no_filter_on_the_action_log_causes_a_server_error(cora_client, action, data):
    query = data.draw(
        st.fixed_dictionaries(
            {},
            optional={
                name: ANY_VALUE for name in ("agency", "case", "status", "overdue", "sort", "page")
            },
        )
    )
    assert cora_client.get(reverse("actions:list"), query).status_code == 200
