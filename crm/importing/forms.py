from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from crm.core.uploads import validate_upload
from crm.importing.reading import READERS, read_upload
from crm.models import ImportFault, ImportFixDecision, ImportKind, ImportMode


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("Contenu du fichier"), choices=ImportKind.choices)
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("CSV, XLSX ou ODS, tel qu'exporté du tableur (en-têtes sur la 1re ligne)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx,.ods"}),
    )
    mode = forms.ChoiceField(
        label=_("Quand une ligne correspond à une fiche existante"),
        choices=ImportMode.choices,
        initial=ImportMode.UPDATE,
        widget=forms.RadioSelect,
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        limit = settings.IMPORT_MAX_UPLOAD_SIZE
        if upload.size > limit:
            raise ValidationError(
                _("Fichier trop lourd (%(size)s) : la limite est %(limit)s.")
                % {"size": filesizeformat(upload.size), "limit": filesizeformat(limit)}
            )
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in READERS or extension == "txt":
            raise ValidationError(_("Format non pris en charge : utilisez CSV, XLSX ou ODS."))
        # Size, extension and content must agree (a renamed executable is refused).
        validate_upload(upload, allowed=("csv", "xlsx", "ods"))
        upload.seek(0)
        data = upload.read()
        upload.seek(0)
        # Reading it now refuses a corrupt or mislabelled file before anything is stored.
        self.table = read_upload(upload.name, data)
        if not self.table.rows:
            raise ValidationError(_("Le fichier ne contient aucune ligne de données."))
        return upload


class ColumnMappingForm(forms.Form):
    """One select per unknown header: the target field, or ignore the column."""

    remember = forms.BooleanField(
        label=_("Retenir ces choix pour les prochains imports"), required=False, initial=True
    )

    def __init__(self, *args, headers, fields, initial_mapping=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("— Ignorer cette colonne —")), *fields.items()]
        self.header_fields = []
        for index, header in enumerate(headers):
            name = f"column_{index}"
            self.fields[name] = forms.ChoiceField(
                label=header,
                choices=choices,
                required=False,
                initial=(initial_mapping or {}).get(header, ""),
            )
            self.header_fields.append((name, header))
        self.order_fields([name for name, _header in self.header_fields] + ["remember"])

    def mapping(self) -> dict[str, str]:
        return {header: self.cleaned_data[name] for name, header in self.header_fields}


DECISION_CHOICES = [("", _("— À décider —")), *ImportFixDecision.choices]
# Rows listed one by one under each column's decision; the others follow that decision.
FIX_ROWS_SHOWN = 50


class FixDecisionsForm(forms.Form):
    """The officer's decision on each correction offered: for every row of a column with
    the same fault (`rule_<n>`), and row by row (`row_<n>`, which wins over the rule)."""

    def __init__(self, *args, proposals, **kwargs):
        super().__init__(*args, **kwargs)
        self.rule_keys = list(dict.fromkeys(p.rule_key for p in proposals))
        self.members: dict[str, list] = {key: [] for key in self.rule_keys}
        for proposal in proposals:
            self.members[proposal.rule_key].append(proposal)
        self.listed = []  # (field name, proposal) of the rows listed one by one
        for index, key in enumerate(self.rule_keys):
            decided = next((p.decision for p in self.members[key] if p.decided_by_rule), "")
            self.fields[f"rule_{index}"] = forms.ChoiceField(
                label=_("Pour toutes ces lignes"),
                choices=DECISION_CHOICES,
                required=False,
                initial=decided,
            )
            for proposal in self.members[key][:FIX_ROWS_SHOWN]:
                name = f"row_{len(self.listed)}"
                self.fields[name] = forms.ChoiceField(
                    label=_("Ligne %(line)s") % {"line": proposal.line},
                    choices=[("", _("— Comme pour la colonne —")), *ImportFixDecision.choices],
                    required=False,
                    initial="" if proposal.decided_by_rule else proposal.decision,
                )
                self.listed.append((name, proposal))

    def decisions(self) -> dict:
        rules = {key: self.cleaned_data[f"rule_{i}"] for i, key in enumerate(self.rule_keys)}
        rows = {
            proposal.row_key: self.cleaned_data[name]
            for name, proposal in self.listed
            if self.cleaned_data[name]
        }
        return {"rows": rows, "rules": rules}

    def groups(self):
        """Per column and fault: its header, the fault, the decision for all its rows, the
        rows listed with their own decision, and how many more rows follow the column's."""
        labels = dict(ImportFault.choices)
        fields = {id(proposal): self[name] for name, proposal in self.listed}
        for index, key in enumerate(self.rule_keys):
            members = self.members[key]
            listed = [(p, fields[id(p)]) for p in members if id(p) in fields]
            yield {
                "column": members[0].column,
                "fault": labels.get(members[0].fault, members[0].fault),
                "rule": self[f"rule_{index}"],
                "rows": listed,
                "count": len(members),
                "more": len(members) - len(listed),
            }
