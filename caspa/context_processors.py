from django.conf import settings

from accounts import two_factor
from caspa.navigation import may_search, navigation_for


def service(request):
    has_user = hasattr(request, "user")
    # Until the second factor is proved, the header offers nothing the door would refuse.
    pending = has_user and two_factor.is_pending(request)
    return {
        "service_name": settings.SERVICE_NAME,
        "show_demo_banner": settings.SHOW_DEMO_BANNER,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "offers_search": has_user and not pending and may_search(request.user),
        "navigation": navigation_for(request.user, request.path)
        if has_user and not pending
        else [],
        "offers_two_factor_set_up": has_user and not pending and two_factor.offers_set_up(request),
    }
