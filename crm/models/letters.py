"""The letter templates of the calls for projects: one per kind of decision, edited by
officers, merged with each application's fields (crm.intake.services.letters)."""

from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from crm.core.concurrency import VersionedModel

BODY_MAX_LENGTH = 10_000


class LetterKind(models.TextChoices):
    ACCEPTANCE = "acceptance", _("Lettre d'attribution (lauréat)")
    REFUSAL = "refusal", _("Lettre de refus")
    REDIRECTION = "redirection", _("Lettre de réorientation vers un partenaire")


# The texts a fresh install starts from (also what a missing row falls back to). Merge
# fields are {name} from crm.intake.services.letters.MERGE_FIELDS.
DEFAULT_LETTERS = {
    LetterKind.ACCEPTANCE: (
        "Décision du comité de sélection – appel à projets {annee}",
        "Madame, Monsieur,\n\n"
        "Nous avons le plaisir de vous informer que le comité de sélection de l'appel à "
        "projets « {appel} » a retenu votre projet « {projet} ».\n\n"
        "Une subvention d'un montant de {montant} vous est attribuée. Elle vous sera versée en "
        "deux fois : un premier versement à la signature de la convention, puis le solde sur "
        "présentation du bilan de l'action.\n\n"
        "Nos équipes reviendront vers vous pour préparer la convention et vous accompagner "
        "dans la suite de votre projet.\n\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
        "distinguées.",
    ),
    LetterKind.REFUSAL: (
        "Décision du comité de sélection – appel à projets {annee}",
        "Madame, Monsieur,\n\n"
        "Le comité de sélection de l'appel à projets « {appel} » a examiné avec attention "
        "votre projet « {projet} ». Nous avons le regret de vous informer qu'il n'a pas été "
        "retenu cette année.\n\n"
        "Ce choix tient compte du nombre de candidatures reçues et de l'enveloppe disponible. "
        "L'équipe ESS reste à votre disposition pour en parler et pour vous orienter vers "
        "d'autres dispositifs d'accompagnement ou de financement.\n\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
        "distinguées.",
    ),
    LetterKind.REDIRECTION: (
        "Décision du comité de sélection – appel à projets {annee}",
        "Madame, Monsieur,\n\n"
        "Le comité de sélection de l'appel à projets « {appel} » a examiné avec attention "
        "votre projet « {projet} ». Il n'a pas été retenu pour une subvention cette année, "
        "mais le comité estime qu'il trouvera un meilleur appui auprès de {partenaire}, "
        "vers qui nous vous orientons.\n\n"
        "L'équipe ESS reste à votre disposition pour faciliter ce premier contact.\n\n"
        "Nous vous prions d'agréer, Madame, Monsieur, l'expression de nos salutations "
        "distinguées.",
    ),
}


class LetterTemplate(VersionedModel):
    kind = models.CharField(_("lettre"), max_length=20, choices=LetterKind, unique=True)
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(
        _("texte de la lettre"), validators=[MaxLengthValidator(BODY_MAX_LENGTH)]
    )

    class Meta:
        verbose_name = _("modèle de lettre")
        verbose_name_plural = _("modèles de lettres")
        ordering = ["kind"]

    def __str__(self):
        return self.get_kind_display()

    def get_absolute_url(self):
        return reverse("crm:letter-template-edit", args=[self.pk])

    @classmethod
    def default(cls, kind: str) -> "LetterTemplate":
        """The unsaved default template of `kind`."""
        subject, body = DEFAULT_LETTERS[LetterKind(kind)]
        return cls(kind=kind, subject=subject, body=body)
