"""Two places where Wagtail's admin assumes Western names, adjusted for ours.

People have one `full_name` (张三), not a first and a last name:
- the sidebar's account menu shows `user.first_name or username`, so every instructor,
  adviser and organiser saw their phone number there; it now shows the full name;
- the account page's "Name" panel asked for a required first *and* last name, which it
  saved to fields nothing else reads; it now edits `full_name` (and the e-mail, when
  Wagtail lets users manage it).

Both are applied in PeopleConfig.ready(); tests/people/test_wagtail_account.py fails if a
Wagtail upgrade moves what they patch.
"""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _


class FullNameForm(forms.ModelForm):
    full_name = forms.CharField(label=_("full name"), max_length=50)
    email = forms.EmailField(label=_("e-mail"), required=False)

    class Meta:
        model = get_user_model()
        fields = ["full_name", "email"]

    def __init__(self, *args, **kwargs):
        # Imported here: Wagtail's admin needs the app registry (called from PeopleConfig.ready).
        from wagtail.admin.views.account import email_management_enabled

        super().__init__(*args, **kwargs)
        if not email_management_enabled():
            del self.fields["email"]


def apply() -> None:
    # Imported here: Wagtail's admin needs the app registry (called from PeopleConfig.ready).
    from wagtail.admin.ui.sidebar import MainMenuModule
    from wagtail.admin.utils import get_user_display_name
    from wagtail.admin.views.account import NameEmailSettingsPanel

    if getattr(MainMenuModule, "_lms_full_name", False):
        return
    wagtail_js_args = MainMenuModule.js_args

    def js_args(self):
        args = wagtail_js_args(self)
        args[2]["name"] = get_user_display_name(self.user)
        return args

    MainMenuModule.js_args = js_args
    MainMenuModule._lms_full_name = True
    NameEmailSettingsPanel.form_class = FullNameForm
