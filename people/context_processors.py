from .roles import Role, primary_role, role_names


def roles(request):
    """Role flags for templates (navigation, header); lazily computed per request."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    names = role_names(user)
    return {
        "user_role": primary_role(user),
        "is_trainee": Role.TRAINEE in names,
        "is_staff_role": bool(names - {Role.TRAINEE}) or user.is_superuser,
    }
