from .navigation import MAIN_NAV


def navigation(request):
    path = request.path
    # The longest matching entry is the current one (/learning/electives/ is not 我的学习).
    current = max((url for _k, _l, url in MAIN_NAV if path.startswith(url)), key=len, default="")

    def main_nav():  # called by the template only when it draws the menu (lms.chrome)
        return [
            {"key": key, "label": label, "url": url, "active": url == current}
            for key, label, url in MAIN_NAV
        ]

    # main_nav_current is one of MAIN_NAV's paths or "": the menu's key in lms.chrome.
    return {"main_nav": main_nav, "main_nav_current": current}
