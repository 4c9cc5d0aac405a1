from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from treebeard.mp_tree import MP_Node


class OrgUnit(MP_Node):
    """省 / 市 / 县(区) / 乡镇(街道) / 村(社区): the tree every scope and report hangs from.

    Materialised paths let "everything inside these units" be one indexed prefix match.
    """

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County / district")
        TOWNSHIP = "township", _("Township / subdistrict")
        VILLAGE = "village", _("Village / community")

    name = models.CharField(_("name"), max_length=100)
    level = models.CharField(_("level"), max_length=16, choices=Level.choices)
    code = models.CharField(
        _("code"), max_length=20, unique=True, help_text=_("Administrative division code.")
    )

    node_order_by = ["code"]

    class Meta:
        verbose_name = _("org unit")
        verbose_name_plural = _("org units")
        indexes = [
            # Treebeard finds the roots and a unit's children by depth and a path range
            # (`depth = 2 AND path BETWEEN …`): without this, a scan of every village.
            models.Index(fields=["depth", "path"], name="orgunit_depth_path"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """The unit with its ancestors below province level, e.g. 信阳市光山县泼陂河镇."""
        names = [u.name for u in self.get_ancestors() if u.level != self.Level.PROVINCE]
        return "".join([*names, self.name])


class PersonManager(UserManager):
    def get_by_natural_key(self, username):
        return self.get(**{self.model.USERNAME_FIELD: username})


class User(AbstractUser):
    """A person: trainee, instructor, adviser or organiser (roles are groups)."""

    class Gender(models.TextChoices):
        MALE = "M", _("Male")
        FEMALE = "F", _("Female")

    class Position(models.TextChoices):
        TOWNSHIP_SECRETARY = "township_secretary", _("Township Party secretary")
        VILLAGE_SECRETARY = "village_secretary", _("Village Party secretary")
        FIRST_SECRETARY = "first_secretary", _("Resident first secretary")
        VILLAGE_CADRE = "village_cadre", _("Village cadre")
        TOWNSHIP_CADRE = "township_cadre", _("Township cadre")
        OTHER = "other", _("Other cadre")

    class Rank(models.TextChoices):
        BUREAU = "bureau", _("Bureau level and above")
        COUNTY = "county", _("County/division level")
        TOWNSHIP = "township", _("Township/section level")
        STAFF = "staff", _("Below section level")
        NONE = "none", _("No civil-service rank")

    full_name = models.CharField(_("full name"), max_length=50, blank=True)
    phone = models.CharField(
        _("mobile phone"),
        max_length=11,
        unique=True,
        null=True,
        blank=True,
        help_text=_("Stored as 11 digits; any common spelling is accepted when typed."),
    )
    gender = models.CharField(_("gender"), max_length=1, choices=Gender.choices, blank=True)
    position = models.CharField(_("position"), max_length=32, choices=Position.choices, blank=True)
    job_title = models.CharField(
        _("job title"),
        max_length=100,
        blank=True,
        help_text=_("As written on the roster, e.g. 泼陂河镇党委书记."),
    )
    rank = models.CharField(_("rank"), max_length=16, choices=Rank.choices, blank=True)
    org_unit = models.ForeignKey(
        OrgUnit,
        verbose_name=_("org unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    managed_units = models.ManyToManyField(
        OrgUnit,
        verbose_name=_("managed units"),
        blank=True,
        related_name="organisers",
        help_text=_("Organisers see people, classes and reports inside these units only."),
    )
    must_change_password = models.BooleanField(
        _("must change password"),
        default=False,
        help_text=_("Set for accounts created by an organiser; cleared by the first change."),
    )
    # What every page's header shows, kept on the row the session's user is read from so a
    # page asks nothing more. Both are recomputed from their source, under a lock on this
    # row, in the transaction that changes it: the groups (people.signals), the inbox
    # (notifications.services.unread). Never set them by hand.
    group_names = models.JSONField(_("role names"), default=list, blank=True, editable=False)
    unread_notifications = models.PositiveIntegerField(
        _("unread notifications"), default=0, editable=False
    )

    objects = PersonManager()

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        permissions = [("manage_people", _("Can manage people in their units"))]

    def __str__(self) -> str:
        return self.full_name or self.username

    def get_full_name(self) -> str:
        return self.full_name or self.username

    def get_short_name(self) -> str:
        return self.full_name or self.username


def user_display(user) -> str:
    """How allauth names a person in its messages ("已登录为 …"): by name, not by login."""
    return user.get_full_name()
