from django.contrib.auth.backends import ModelBackend

from .models import User
from .phones import InvalidPhone, normalize_phone


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
