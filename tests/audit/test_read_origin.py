"""Every read records where it came from: the address and the browser, through the
middleware, and X-Forwarded-For only as far as the trusted proxies vouch for it."""

from ipaddress import ip_address

from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from audit.models import USER_AGENT_LENGTH, How, RecordRead
from audit.origin import Origin, current_origin
from audit.rules import client_address
from audit.services import record_read, record_reads
from tests.factories import make_referral

BROWSER = "Mozilla/5.0 (Windows NT 10.0) Firefox/140.0"


def test_a_page_records_the_readers_address_and_browser(client_for, rosa):
    referral = make_referral(rosa)
    client_for(rosa).get(
        reverse("referrals:detail", args=[referral.pk]),
        REMOTE_ADDR="10.1.2.3",
        headers={"User-Agent": BROWSER},
    )
    read = RecordRead.objects.get(record_type="referrals.referral", record_id=referral.pk)
    assert (read.reader, read.how, read.address, read.user_agent) == (
        rosa,
        How.PAGE,
        "10.1.2.3",
        BROWSER,
    )


def test_a_long_user_agent_is_kept_to_its_bound(client_for, rosa):
    referral = make_referral(rosa)
    client_for(rosa).get(
        reverse("referrals:detail", args=[referral.pk]), headers={"User-Agent": "x" * 5000}
    )
    assert RecordRead.objects.get().user_agent == "x" * USER_AGENT_LENGTH


def test_forwarded_for_is_ignored_when_no_proxy_is_trusted(client_for, rosa):
    referral = make_referral(rosa)
    client_for(rosa).get(
        reverse("referrals:detail", args=[referral.pk]),
        REMOTE_ADDR="10.0.0.9",
        headers={"X-Forwarded-For": "203.0.113.7"},
    )
    assert RecordRead.objects.get().address == "10.0.0.9"


def test_behind_a_trusted_proxy_the_address_it_was_reached_from_is_recorded(
    client_for, rosa, settings
):
    settings.AUDIT_PROXY_COUNT = 1
    referral = make_referral(rosa)
    client_for(rosa).get(
        reverse("referrals:detail", args=[referral.pk]),
        REMOTE_ADDR="10.0.0.9",
        headers={"X-Forwarded-For": "198.51.100.1, 203.0.113.7"},
    )
    assert RecordRead.objects.get().address == "203.0.113.7"


def test_a_read_outside_a_request_has_no_address(rosa):
    referral = make_referral(rosa)
    record_read(reader=rosa, record=referral)
    read = RecordRead.objects.get()
    assert (read.address, read.user_agent) == (None, "")


def test_records_shown_together_are_recorded_in_one_statement(rosa, django_assert_num_queries):
    referrals = [make_referral(rosa) for _ in range(3)]
    with django_assert_num_queries(1):
        record_reads(reader=rosa, records=referrals, how=How.LIST)
    assert RecordRead.objects.filter(how=How.LIST).count() == 3


addresses = st.ip_addresses().map(str)


@given(
    client=addresses,
    proxies=st.lists(addresses, min_size=1, max_size=4),
    invented=st.lists(addresses, max_size=2),
)
def test_behind_the_trusted_proxies_the_client_is_found_whatever_it_wrote(
    client, proxies, invented
):
    # The client may send an X-Forwarded-For of its own; each proxy appends who reached it,
    # and the last proxy is the connection.
    forwarded_for = ", ".join([*invented, client, *proxies[:-1]])
    found = client_address(
        remote_addr=proxies[-1], forwarded_for=forwarded_for, proxy_count=len(proxies)
    )
    assert found == client
    untrusted = client_address(remote_addr=proxies[-1], forwarded_for=forwarded_for, proxy_count=0)
    assert untrusted == proxies[-1]


def test_a_chain_shorter_than_the_proxies_gives_the_connections_address():
    found = client_address(remote_addr="10.0.0.1", forwarded_for="203.0.113.7", proxy_count=2)
    assert found == "10.0.0.1"


@given(text=st.text(max_size=60))
def test_whatever_a_header_says_the_address_recorded_is_an_address_or_none(text):
    for found in (
        client_address(remote_addr="10.0.0.1", forwarded_for=text, proxy_count=1),
        client_address(remote_addr=text, forwarded_for=None, proxy_count=0),
    ):
        assert found is None or str(ip_address(found)) == found


def test_a_connection_address_that_is_not_one_is_recorded_as_none():
    assert client_address(remote_addr="unknown", forwarded_for=None, proxy_count=0) is None


def test_a_request_naming_a_record_twice_records_it_once_for_each_way_it_shows_it(rosa):
    referral = make_referral(rosa)
    token = current_origin.set(Origin(address="10.0.0.1", user_agent=BROWSER))
    try:
        record_read(reader=rosa, record=referral)
        record_reads(reader=rosa, records=[referral, referral], how=How.LIST)
        record_read(reader=rosa, record=referral)
    finally:
        current_origin.reset(token)
    assert sorted(RecordRead.objects.values_list("how", flat=True)) == [How.LIST, How.PAGE]
