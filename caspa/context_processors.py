from django.conf import settings

from caspa.navigation import may_search, navigation_for


def service(request):
    return {
        "service_name": settings.SERVICE_NAME,
        "show_demo_banner": settings.SHOW_DEMO_BANNER,
        "session_idle_minutes": settings.SESSION_IDLE_MINUTES,
        "offers_search": hasattr(request, "user") and may_search(request.user),
        "navigation": navigation_for(request.user, request.path)
        if hasattr(request, "user")
        else [],
    }
