"""allauth's phone hooks for login by SMS code (验证码登录), on top of people's adapter.

Phones are the roster's, set by organisers and stored as 11 digits (people.phones); a
person never adds or changes one here, so "verified" means "on file". The code goes out
through our SMS backend, logged in the delivery log without the code itself.
"""

from django.contrib.auth import get_user_model

from people.adapters import AccountAdapter as PeopleAccountAdapter
from people.phones import InvalidPhone, normalize_phone

from .services import login_code_send


class AccountAdapter(PeopleAccountAdapter):
    def get_phone(self, user):
        return (user.phone, True) if user.phone else None

    def set_phone(self, user, phone, verified):
        user.phone = normalize_phone(phone)
        user.save(update_fields=["phone"])

    def set_phone_verified(self, user, phone):
        """Numbers come from the organiser's roster: on file is verified."""

    def get_user_by_phone(self, phone):
        try:
            phone = normalize_phone(phone)
        except InvalidPhone:
            return None
        return get_user_model().objects.filter(phone=phone, is_active=True).first()

    def send_verification_code_sms(self, user, phone, code, **kwargs):
        login_code_send(user=user, phone=normalize_phone(phone), code=code)
