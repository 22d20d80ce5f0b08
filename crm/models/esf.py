"""The ESF+ participant data: the EU's common indicators (Regulation (EU) 2021/1057,
Annex I) asked of the project's participant at entry and at exit. Every answer is
optional, and "ne souhaite pas répondre" is an answer of its own (counted apart from
"not asked"). The labour-market situation at exit and six months after exit are the
project's own fields (`Project.situation_at_exit`, `situation_6_months_after_exit`),
the latter collected by the +6 months follow-up campaign."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionedModel
from crm.models.projects import Project

DECLINED = "declined"
DECLINED_LABEL = _("Ne souhaite pas répondre")


class EsfLabourStatus(models.TextChoices):
    """Labour-market status at entry, in the Annex's categories."""

    EMPLOYED = "employed", _("En emploi (salarié·e)")
    SELF_EMPLOYED = "self_employed", _("En emploi (indépendant·e)")
    UNEMPLOYED = "unemployed", _("Chômeur·se")
    LONG_TERM_UNEMPLOYED = "long_term_unemployed", _("Chômeur·se de longue durée")
    INACTIVE = "inactive", _("Inactif·ve")
    IN_EDUCATION = "in_education", _("Inactif·ve en études ou en formation")
    DECLINED = DECLINED, DECLINED_LABEL


class IscedLevel(models.TextChoices):
    """Highest education level completed, in the ISCED 2011 groups the Annex counts."""

    ISCED_0_2 = "isced_0_2", _("CITE 0 à 2 (jusqu'au collège)")
    ISCED_3_4 = "isced_3_4", _("CITE 3 ou 4 (lycée, post-bac non supérieur)")
    ISCED_5_8 = "isced_5_8", _("CITE 5 à 8 (enseignement supérieur)")
    DECLINED = DECLINED, DECLINED_LABEL


class Answer(models.TextChoices):
    YES = "yes", _("Oui")
    NO = "no", _("Non")
    DECLINED = DECLINED, DECLINED_LABEL


# The yes/no questions at entry, in the order the ESF+ sheet lists them.
ANSWER_FIELDS = (
    "disability",
    "third_country_national",
    "foreign_background",
    "minority",
    "homeless",
    "rural_area",
)


def _answer(label):
    return models.CharField(label, max_length=10, choices=Answer, blank=True)


class EsfParticipant(VersionedModel):
    """What the participant (the project's lead) answered for the ESF+ indicators. One row
    per project; written by crm.projects.esf.esf_record. Sensitive data (disability,
    minority): officers and the project's coach only, never the API or the lists."""

    project = models.OneToOneField(
        Project, on_delete=models.CASCADE, related_name="esf", verbose_name=_("projet")
    )
    labour_status = models.CharField(
        _("situation sur le marché du travail à l'entrée"),
        max_length=25,
        choices=EsfLabourStatus,
        blank=True,
    )
    education_level = models.CharField(
        _("niveau d'études (CITE)"), max_length=10, choices=IscedLevel, blank=True
    )
    disability = _answer(_("personne handicapée"))
    third_country_national = _answer(_("ressortissant·e d'un pays tiers"))
    foreign_background = _answer(_("personne d'origine étrangère"))
    minority = _answer(_("membre d'une minorité (y compris communautés marginalisées)"))
    homeless = _answer(_("sans domicile ou exclu·e du logement"))
    rural_area = _answer(_("réside en zone rurale"))
    qualification_at_exit = _answer(_("a obtenu une qualification à la sortie"))
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        verbose_name = _("données FSE+ du participant")
        verbose_name_plural = _("données FSE+ des participants")
        ordering = ["project"]

    def __str__(self):
        return str(self.project)
