from django.contrib.auth.backends import ModelBackend

from lms.prepared import Prepared, instance_from_row

from .models import User
from .phones import InvalidPhone, normalize_phone

_USER_FIELDS = [f.attname for f in User._meta.concrete_fields]
# The signed-in person, read on every request: compiled once (lms.prepared).
_user_read = Prepared(
    lambda pk: User._default_manager.filter(pk=pk).values_list(*_USER_FIELDS), pk=int
)


def user_by_id(pk: int) -> User | None:
    """The person with this id, as `User._default_manager.get(pk=pk)` reads them."""
    rows = _user_read.rows(pk=pk)
    return instance_from_row(User, dict(zip(_USER_FIELDS, rows[0], strict=True))) if rows else None


class PhoneOrUsernameBackend(ModelBackend):
    """Lets people log in with their mobile number written any common way.

    allauth's login form passes what was typed as `username`; anything that is not a
    phone number falls through to the next backend (plain usernames).
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        try:
            phone = normalize_phone(username)
        except InvalidPhone:
            return None
        try:
            user = User._default_manager.get(phone=phone)
        except User.DoesNotExist:
            User().set_password(password)  # same work as a real check, against timing probes
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None

    def get_user(self, user_id):
        """ModelBackend's, on every request of a person this backend signed in."""
        try:
            user = user_by_id(int(user_id))
        except (TypeError, ValueError):
            return None
        return user if user is not None and self.user_can_authenticate(user) else None
