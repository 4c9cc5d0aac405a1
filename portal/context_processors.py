from .navigation import MAIN_NAV


def navigation(request):
    path = request.path
    return {
        "main_nav": [
            {"key": key, "label": label, "url": url, "active": path.startswith(url)}
            for key, label, url in MAIN_NAV
        ]
    }
