import uuid

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, DateColumn
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet

from lms.admin_scope import ScopedPolicy, ScopedSnippetViewSet

from .models import Delivery, EventRule
from .selectors import can_see_delivery_log, delivery_list_for_staff, unread_count
from .services import notify


class DeliveryPolicy(ScopedPolicy):
    """The delivery log is read-only for everyone (the system writes it); organisers read
    the messages to people of their units, administrators all of them."""

    def user_has_permission(self, user, action):
        return action in ("view", "choose") and can_see_delivery_log(user)

    def scope(self, user, action):
        return delivery_list_for_staff(viewer=user)


class EventRulePolicy(ScopedPolicy):
    """One rule per event, made by the migration: administrators change them, nobody adds
    or deletes one."""

    def user_has_permission(self, user, action):
        return user.is_active and user.is_superuser and action in ("view", "change", "choose")

    def scope(self, user, action):
        return EventRule.objects.all()


register_permission_policy(Delivery, DeliveryPolicy(Delivery))
register_permission_policy(EventRule, EventRulePolicy(EventRule))


class DeliveryViewSet(ScopedSnippetViewSet):
    model = Delivery
    icon = "mail"
    menu_label = _("Delivery log")
    add_to_admin_menu = True
    menu_order = 615
    inspect_view_enabled = True
    copy_view_enabled = False
    list_display = [
        DateColumn("created_at", label=_("created at")),
        Column("recipient", label=_("recipient")),
        Column("event", label=_("event"), accessor="get_event_display"),
        Column(
            "channel",
            label=pgettext_lazy("notification", "channel"),
            accessor="get_channel_display",
        ),
        Column("address", label=_("address")),
        Column("status", label=_("status"), accessor="get_status_display"),
        Column("reason", label=_("reason"), accessor="reason_label"),
        Column("attempts", label=pgettext_lazy("delivery", "attempts")),
    ]
    list_filter = ["status", "channel", "event"]
    search_fields = ["address", "recipient__full_name", "key", "reason"]
    search_backend_name = None
    ordering = ["-created_at", "-pk"]
    inspect_view_fields = [
        "created_at",
        "event",
        "key",
        "recipient",
        "channel",
        "address",
        "status",
        "reason_label",
        "detail",
        "attempts",
        "next_attempt_at",
        "expires_at",
        "sent_at",
        "provider_id",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("recipient")


class EventRuleViewSet(ScopedSnippetViewSet):
    model = EventRule
    icon = "cog"
    menu_label = _("Notification rules")
    add_to_settings_menu = True
    copy_view_enabled = False
    list_display = [
        Column("event", label=_("event"), accessor="get_event_display"),
        Column("email", label=_("email"), accessor="get_email_display"),
        Column("sms", label=_("SMS"), accessor="get_sms_display"),
    ]
    edit_handler = ObjectList([FieldPanel("email"), FieldPanel("sms")])


register_snippet(DeliveryViewSet)
register_snippet(EventRuleViewSet)


class InboxMenuItem(MenuItem):
    """The admin's bell: 通知 with the unread count, linking to the inbox."""

    def render_component(self, request):
        count = unread_count(request)
        component = super().render_component(request)
        if count:
            component.label = ngettext(
                "Notifications (%(count)d unread)", "Notifications (%(count)d unread)", count
            ) % {"count": count}
        return component


@hooks.register("register_admin_menu_item")
def register_inbox_menu_item():
    return InboxMenuItem(
        _("Notifications"),
        reverse("notifications:inbox"),
        name="notifications",
        icon_name="mail",
        order=50,
    )


@hooks.register("register_log_actions")
def register_notification_actions(actions):
    actions.register_action(
        "notifications.preferences_update",
        _("Change notification settings"),
        _("Notification settings changed"),
    )


@hooks.register("person_created")
def announce_account(*, person, actor=None):
    """An organiser made the account (by hand or a roster import): how to log in. The
    initial password is never in it (it is handed over on paper, and never stored)."""
    notify(
        event="account_created",
        recipients=[person],
        key=f"account:{person.pk}:created",
        context={"login": person.phone or person.username},
        url=reverse("account_login"),
    )


@hooks.register("person_password_reset")
def announce_password_reset(*, person, actor=None):
    notify(
        event="password_reset",
        recipients=[person],
        key=f"account:{person.pk}:reset:{uuid.uuid4().hex}",
        url=reverse("account_login"),
    )
