"""One POST endpoint per change: parse the form, call one service, go back; or show the page
again with the errors and everything the user typed."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect

from caspa.core.forms import add_validation_errors
from caspa.core.locking import ChangedMeanwhile


def handle_form(request, form, decide, *, back: str, show_again, again_at_version):
    """`decide(cleaned_data)` calls the service and returns the messages to show, as (level,
    text) pairs. When someone saved the record in between (`ChangedMeanwhile`), the page shows
    it as it is now, with the user's form kept at the new version
    (`again_at_version(record)`), so saving again is a deliberate second try."""
    if form.is_valid():
        try:
            said = decide(form.cleaned_data)
        except ChangedMeanwhile as changed:
            return show_again(again_at_version(changed.record), conflict=True)
        except ValidationError as error:
            add_validation_errors(form, error)
        else:
            for level, text in said:
                messages.add_message(request, level, text)
            return redirect(back)
    return show_again(form, conflict=False)


def data_at_version(data, version: int):
    """What the user sent, now stating the version they are about to be shown."""
    data = data.copy()
    data["version"] = version
    return data


def form_at_version(request, form_class, version: int, **kwargs):
    """The user's form again, as they sent it, at the version the record is at now."""
    form = form_class(data_at_version(request.POST, version), **kwargs)
    form.is_valid()
    return form
