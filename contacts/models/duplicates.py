"""Pairs of records the duplicates scan found probably the same, and the officers' verdicts."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from contacts.matching import Reason
from contacts.models.choices import MergeKind
from contacts.models.organisations import Organisation
from contacts.models.people import Person
from crm.core import roles
from crm.core.bounds import validate_date_range


class DuplicatePairQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Pairs name people and organisations side by side, whatever project they are
        on, and the page acts on them: officers only."""
        return self.all() if roles.is_officer(user) else self.none()

    def open(self):
        return self.filter(dismissed_at__isnull=True)


class DuplicatePair(models.Model):
    """Two people (or two organisations) that are probably one, with the score and reasons
    the scan (contacts.duplicates.scan_duplicates) found; "not a duplicate" is remembered
    here (dismissed_at) so that the next scan does not propose the pair again.

    The first record is the one with the smaller id, so that a pair is stored once."""

    kind = models.CharField(_("type"), max_length=20, choices=MergeKind)
    first_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    second_person = models.ForeignKey(
        Person, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    first_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    second_organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    score = models.DecimalField(
        _("score"),
        max_digits=4,
        decimal_places=3,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    reasons = models.JSONField(_("raisons"), default=list)
    found_at = models.DateTimeField(
        _("trouvé le"), default=timezone.now, validators=[validate_date_range]
    )
    dismissed_at = models.DateTimeField(
        _("écarté le"), null=True, blank=True, validators=[validate_date_range]
    )
    dismissed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("écarté par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = DuplicatePairQuerySet.as_manager()

    class Meta:
        verbose_name = _("doublon probable")
        verbose_name_plural = _("doublons probables")
        ordering = ["-score", "pk"]
        indexes = [
            # The duplicates page: open pairs of a kind, best score first.
            models.Index(
                fields=["kind", "-score", "id"],
                condition=Q(dismissed_at__isnull=True),
                name="contacts_dup_open_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["first_person", "second_person"], name="contacts_dup_person_pair_unique"
            ),
            models.UniqueConstraint(
                fields=["first_organisation", "second_organisation"],
                name="contacts_dup_org_pair_unique",
            ),
            models.CheckConstraint(
                condition=(
                    Q(
                        kind="person",
                        first_person__lt=F("second_person"),
                        first_organisation__isnull=True,
                        second_organisation__isnull=True,
                    )
                    | Q(
                        kind="organisation",
                        first_organisation__lt=F("second_organisation"),
                        first_person__isnull=True,
                        second_person__isnull=True,
                    )
                ),
                name="contacts_dup_pair_matches_kind",
            ),
            models.CheckConstraint(
                condition=Q(score__gte=0, score__lte=1), name="contacts_dup_score_range"
            ),
        ]

    def __str__(self):
        return f"{self.first} ≈ {self.second}"

    @property
    def first(self):
        return self.first_person if self.kind == MergeKind.PERSON else self.first_organisation

    @property
    def second(self):
        return self.second_person if self.kind == MergeKind.PERSON else self.second_organisation

    @property
    def reason_labels(self) -> list[str]:
        return [str(Reason(code).label) for code in self.reasons if code in Reason.values]
