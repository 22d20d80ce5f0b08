"""Synthetic spreadsheets of any size, as the office would export them (French headers,
`;`, UTF-8 with BOM), for measuring large imports (`import_data --generate N`) and tests."""

import csv
import datetime
import io
import random

from contacts.validators import luhn_valid
from crm.models import Commune, Project

FIRST = ["Léa", "Hugo", "Nadège", "Mehdi", "Inès", "Aïssata", "Jules", "Chloé", "Yanis", "Zoé"]
LAST = ["Martin", "Dubois", "TRAORÉ", "Petit", "Garnier", "Nguyen", "Diallo", "Lefèvre"]


def _siret(number: int) -> str:
    """A Luhn-valid SIRET whose first nine digits are a Luhn-valid SIREN."""
    siren = f"{number % 10**8:08d}"
    siren += next(str(d) for d in range(10) if luhn_valid(siren + str(d)))
    body = f"{siren}{number % 10**4:04d}"
    return body + next(str(d) for d in range(10) if luhn_valid(body + str(d)))


def rows(kind: str, count: int, *, seed: int = 5) -> tuple[list[str], list[list[str]]]:
    rng = random.Random(seed)
    communes = list(Commune.objects.order_by("pk").values_list("name", flat=True)) or [""]
    if kind == "people":
        headers = ["Prénom", "Nom", "Courriel", "Téléphone", "Commune", "QPV", "Année de naissance"]
        data = [
            [
                FIRST[i % len(FIRST)],
                f"{LAST[i % len(LAST)]} {i}",
                f" Personne.{i}@Exemple.fr ",
                f"06 {i % 100:02d} {(i // 100) % 100:02d} 00 00",
                rng.choice(communes),
                rng.choice(["oui", "NON", "x", ""]),
                str(1960 + i % 45),
            ]
            for i in range(count)
        ]
    elif kind == "organisations":
        headers = ["Structure", "Forme juridique", "SIRET", "Commune", "Courriel"]
        data = [
            [
                f"Structure solidaire {i}",
                rng.choice(["Association loi 1901", "SCOP", "SCIC", "SAS ESUS"]),
                _siret(10_000_000 + i),
                rng.choice(communes),
                f"contact{i}@structure.fr",
            ]
            for i in range(count)
        ]
    elif kind == "meetings":
        headers = ["N° projet", "Date", "Heure", "Durée", "Format", "Compte rendu", "Note"]
        projects = list(Project.objects.order_by("pk").values_list("pk", flat=True)[:2000])
        start = datetime.date(2024, 1, 1)
        data = [
            [
                str(projects[i % len(projects)]) if projects else "",
                (start + datetime.timedelta(days=i // max(len(projects), 1))).strftime("%d/%m/%Y"),
                f"{9 + i % 8}h30",
                rng.choice(["1h30", "60", "45 min", "2 h"]),
                rng.choice(["Rendez-vous individuel", "Diagnostic", "atelier"]),
                f"Point d'étape n° {i}",
                "Note interne : à relancer" if i % 3 == 0 else "",
            ]
            for i in range(count)
        ]
    elif kind == "projects":
        headers = [
            "Nom du projet",
            "Prénom porteur",
            "Nom porteur",
            "Email",
            "Structure",
            "SIRET",
            "Commune",
            "Étape",
            "Date d'entrée",
            "Heures allouées",
        ]
        data = [
            [
                f"Projet solidaire {i}",
                FIRST[i % len(FIRST)],
                f"{LAST[i % len(LAST)]} {i}",
                f"porteur.{i}@exemple.fr",
                f"Structure {i}",
                _siret(20_000_000 + i),
                rng.choice(communes),
                rng.choice(["Idée", "faisabilite", "Lancement"]),
                f"{1 + i % 28:02d}/{1 + i % 12:02d}/2023",
                "12,5",
            ]
            for i in range(count)
        ]
    else:
        raise ValueError(kind)
    return headers, data


def csv_bytes(kind: str, count: int, **kwargs) -> bytes:
    headers, data = rows(kind, count, **kwargs)
    output = io.StringIO()
    writer = csv.writer(output, delimiter=";", lineterminator="\r\n")
    writer.writerow(headers)
    writer.writerows(data)
    return output.getvalue().encode("utf-8-sig")
