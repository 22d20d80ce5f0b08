"""Merge fields of the e-mails written to entrepreneurs, rendered safely.

A template is Django template text restricted to the variables below: no tag, no filter,
no other variable (checked when the template is saved and when a message is sent). The
values are plain strings in plain dicts, so nothing beyond what is offered here is
reachable from a template; the text is rendered without HTML escaping (a plain-text
e-mail) and the subject is then made one line by crm.core.mail.mail_subject.
"""

from django.core.exceptions import ValidationError
from django.template import Context, Engine, TemplateSyntaxError
from django.template.base import TextNode, VariableNode
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

# The documented merge fields: name in a template -> what it is.
MERGE_FIELDS = {
    "personne.prenom": gettext_lazy("prénom du ou de la destinataire"),
    "personne.nom": gettext_lazy("nom du ou de la destinataire"),
    "personne.nom_complet": gettext_lazy("prénom et nom du ou de la destinataire"),
    "projet.nom": gettext_lazy("nom du projet"),
    "projet.etape": gettext_lazy("étape du projet"),
    "projet.statut": gettext_lazy("statut du suivi"),
    "projet.commune": gettext_lazy("commune du projet"),
    "projet.accompagnateur": gettext_lazy("accompagnateur·rice du projet"),
    "projet.charge_de_mission": gettext_lazy("chargé·e de mission du projet"),
    "expediteur.nom": gettext_lazy("votre prénom et nom"),
    "expediteur.email": gettext_lazy("votre adresse e-mail"),
    "date": gettext_lazy("date du jour (jj/mm/aaaa)"),
}

# Its own engine: no template loader, no extra library, no escaping (plain text).
ENGINE = Engine(libraries={}, autoescape=False, debug=False)


def _compile(text: str):
    try:
        template = ENGINE.from_string(text)
    except TemplateSyntaxError:
        raise ValidationError(
            _("Seuls les champs de fusion entre doubles accolades sont permis, sans balise.")
        ) from None
    # Text and variables only, at the top level: any tag (`{% if %}`, `{% load %}`…) is
    # refused, and a variable with a filter or a further attribute is not a merge field.
    if not all(isinstance(node, TextNode | VariableNode) for node in template.nodelist):
        raise ValidationError(
            _("Seuls les champs de fusion entre doubles accolades sont permis, sans balise.")
        )
    unknown = sorted(
        {
            node.filter_expression.token
            for node in template.nodelist.get_nodes_by_type(VariableNode)
            if node.filter_expression.token not in MERGE_FIELDS
        }
    )
    if unknown:
        raise ValidationError(
            _("Champ de fusion inconnu : %(fields)s.") % {"fields": ", ".join(unknown)}
        )
    return template


def check_template(text: str) -> None:
    """Raise ValidationError unless `text` uses only the merge fields above."""
    _compile(text)


def merge_values(*, person, project, sender) -> dict:
    """The values of the merge fields, as strings only (a project may be None)."""

    def name(user):
        return user.get_full_name() or user.get_username() if user else ""

    return {
        "personne": {
            "prenom": person.first_name,
            "nom": person.last_name,
            "nom_complet": f"{person.first_name} {person.last_name}".strip(),
        },
        "projet": {
            "nom": project.name if project else "",
            "etape": str(project.get_stage_display()) if project else "",
            "statut": str(project.get_status_display()) if project else "",
            "commune": str(project.commune) if project and project.commune_id else "",
            "accompagnateur": name(project.coach) if project else "",
            "charge_de_mission": name(project.officer) if project else "",
        },
        "expediteur": {"nom": name(sender), "email": sender.email or ""},
        "date": f"{timezone.localdate():%d/%m/%Y}",
    }


def render(text: str, values: dict) -> str:
    return _compile(text).render(Context(values, autoescape=False))
