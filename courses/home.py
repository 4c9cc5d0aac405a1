"""The trainee's home page section: continue learning where they left off."""

from people.roles import Role, has_role

from .selectors import my_learning


def continue_learning_section(request) -> dict | None:
    user = request.user
    if not has_role(user, Role.TRAINEE):
        return None
    data = my_learning(trainee=user)
    if not data["statuses"]:
        return None
    return {"template": "courses/home_section.html", **data}
