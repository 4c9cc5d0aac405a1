from .navigation import MAIN_NAV


def navigation(request):
    path = request.path
    # The longest matching entry is the current one (/learning/electives/ is not 我的学习).
    current = max((url for _k, _l, url in MAIN_NAV if path.startswith(url)), key=len, default="")
    return {
        "main_nav": [
            {"key": key, "label": label, "url": url, "active": url == current}
            for key, label, url in MAIN_NAV
        ]
    }
