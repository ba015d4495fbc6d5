"""Where the request being answered came from, for the reads it records. Set by
`audit.middleware.ReadOriginMiddleware`; outside a request (a task, a management command)
there is none, and reads carry no address."""

from contextvars import ContextVar
from dataclasses import dataclass, field


@dataclass
class Origin:
    address: str | None
    user_agent: str
    # The reads already recorded in this request (type, id, how), so that a page naming a
    # record twice records it once.
    recorded: set = field(default_factory=set)


current_origin: ContextVar[Origin | None] = ContextVar("audit_read_origin", default=None)
