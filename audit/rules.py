"""The read audit's rules, as pure functions: where a request came from, and when a day's
reading is more than a user's usual (docs/read-audit.md)."""

from collections.abc import Sequence
from ipaddress import ip_address
from statistics import median


def _address_or_none(text: str | None) -> str | None:
    try:
        return str(ip_address((text or "").strip()))
    except ValueError:
        return None


def client_address(*, remote_addr: str | None, forwarded_for: str | None, proxy_count: int):
    """The address a request came from. With no proxy trusted, the connection's own address.
    Behind `proxy_count` trusted proxies, each appends the address it was reached from to
    X-Forwarded-For, so the client is the entry that many places from the end; anything to the
    left of it was written by the client and may be invented. A chain shorter than the
    proxies did not come through them all: the connection's address is all that is known."""
    if proxy_count > 0 and forwarded_for:
        hops = [hop.strip() for hop in forwarded_for.split(",")]
        if len(hops) >= proxy_count:
            return _address_or_none(hops[-proxy_count])
    return _address_or_none(remote_addr)


def usual_daily_reads(daily_counts: Sequence[int]) -> float:
    """A user's usual day: the median of the days they read anything (days off do not make
    a normal day look busy). No such day: 0."""
    days = [count for count in daily_counts if count > 0]
    return float(median(days)) if days else 0.0


def is_unusual(*, today_count: int, usual_daily_counts: Sequence[int], factor: int, minimum: int):
    """Reading is unusual when today's distinct records reach both the minimum (a few more
    than usual on a quiet user's day is not news) and `factor` times the usual day."""
    threshold = max(minimum, factor * usual_daily_reads(usual_daily_counts))
    return today_count >= threshold
