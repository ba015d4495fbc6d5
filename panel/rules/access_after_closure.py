"""Who still sees a case once it has left the pathway, as pure functions
(docs/access-after-closure.md).

While a case is open, an agency sees it while it is involved in it. When it closes (or the
panel does not adopt it), the agencies involved keep read-only access for a handover period
(`CASE_ACCESS_AFTER_CLOSURE_MONTHS`, 3 by default); after it, only the coordinator's staff,
who keep the panel's record, and the agency that took the case on (the step-down agency). A
new referral about the person opens a new case, and access to it comes through the usual
route: screening, the panel, the agencies it involves.
"""

from datetime import datetime

from dateutil.relativedelta import relativedelta

HANDOVER_ENDED = (
    "This case closed on {closed}; the agencies involved could read it for {months} months "
    "after, for the handover. Ask the panel coordinator if you still need it."
)


def handover_ends(closed_at: datetime, *, months: int) -> datetime:
    """The moment the agencies involved in a closed case stop seeing it."""
    return closed_at + relativedelta(months=months)


def handover_cutoff(now: datetime, *, months: int) -> datetime:
    """Cases closed after this moment are still in their handover period."""
    return now - relativedelta(months=months)


def agency_keeps_access(
    *,
    closed_at: datetime | None,
    now: datetime,
    months: int,
    involved: bool,
    takes_it_on: bool,
) -> bool:
    """Whether an agency's people see the case: while it is open, if involved; once closed,
    if involved and within the handover period, or if it is the agency taking the case on."""
    if closed_at is None:
        return involved
    if takes_it_on:
        return True
    return involved and now < handover_ends(closed_at, months=months)
