"""The one path converter for a whole number in an address (docs/bounded-input.md).

Django's `int` takes any number of digits, and a number bigger than a 64-bit column holds
reaches the database as a query it cannot run: a 500. `<num:...>` takes the numbers a
column can hold and no other, so /cases/99999999999999999999/ is a page not found. Registered
once, when the core app is ready (caspa/core/apps.py); every urls.py uses it in place of `int`.
"""

from caspa.core.forms import BIGINT_MAX

NAME = "num"


class BoundedIntConverter:
    regex = "[0-9]+"

    def to_python(self, value: str) -> int:
        number = int(value)
        if number > BIGINT_MAX:
            raise ValueError("beyond what a database column holds")  # the URL does not match
        return number

    def to_url(self, value) -> str:
        return str(int(value))
