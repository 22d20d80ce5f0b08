"""A legacy "suivi porteurs" export as an office really has it, generated for the tests of
issue 21: notes with line breaks, accented e-mails, phones and communes written the
office's own way, sectors and stages spelled another way (cp1252, `;`)."""

import csv
import io

HEADERS = [
    "Nom du projet",
    "Prénom porteur",
    "Nom porteur",
    "Email",
    "Téléphone",
    "Commune",
    "Secteur",
    "Étape",
    "Observations",
]
FIRST = ["Inès", "Hugo", "Nadège", "Léa", "Mehdi", "Zoé"]
LAST = ["Lefèvre", "Dubois", "Traoré", "Petit", "Garnier", "Nguyen"]


def legacy_rows(count: int = 12) -> list[list[str]]:
    rows = []
    for number in range(count):
        first, last = FIRST[number % len(FIRST)], LAST[number % len(LAST)]
        rows.append(
            [
                f"Atelier {last} {number}",
                first,
                last,
                # Accents kept in the address, as typed from the name (every other row).
                f"{first}.{last}{number}@exemple.fr".lower()
                if number % 2 == 0
                else f"porteur{number}@exemple.fr",
                "6 12 34 56 78" if number % 3 == 0 else "06 12 34 56 78",
                "Créteuil" if number == 4 else "Créteil",
                "Finances solidaires" if number == 5 else "Compostage",
                "Faisabilté" if number == 7 else "Idée",
                "Rendez-vous pris\nà relancer\nen juin" if number % 2 else "",
            ]
        )
    return rows


def legacy_csv(rows=None) -> bytes:
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerows([HEADERS, *(rows if rows is not None else legacy_rows())])
    return output.getvalue().encode("cp1252")
