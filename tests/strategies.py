"""Arbitrary input for the "no input causes a server error" tests, shared by every app's."""

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st

NASTY = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "a\x00b",
        "\u202e",
        "😀",
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "9434765919",
        "943 476 5919",
        "0000000000",
        "yes",
        "no",
        "not_known",
        "other",
        "new",
        "31",
        "02",
        "2099",
        "0",
        "-1",
        "1e9",
        "x" * 5000,
        "housing",
        "self_neglect",
        "dash",
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=60), st.integers(-(2**70), 2**70).map(str))
ANY_VALUE = st.one_of(VALUE, st.lists(VALUE, max_size=3))
# Each example is a request through the whole stack: 25 per endpoint, over every endpoint, keeps
# the suite's time in bounds while NASTY makes sure the known troublemakers are always tried.
SLOW_OK = settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    deadline=None,
)
