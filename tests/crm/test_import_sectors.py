"""Sector names match consistently (issue 21): accents, case, plural, known synonyms, a typo,
offered as a correction like the other faults."""

import pytest

from crm.importing.fixes import fix_sector
from crm.importing.reading import read_upload
from crm.importing.runner import run_import
from crm.importing.sectors import normalise_sector, sector_key
from crm.models import ImportFault, Sector


def test_the_key_ignores_accents_case_plural_and_small_words():
    assert sector_key("Épiceries SOLIDAIRES") == sector_key("epicerie solidaire")
    assert sector_key("Tiers-lieux") == "tier lieu" == sector_key("tiers lieu")
    assert sector_key("Réemploi et recyclage") == "reemploi recyclage"


@pytest.mark.parametrize(
    ("written", "sector"),
    [
        ("Épiceries solidaires", Sector.FOOD),
        ("ALIMENTATION", Sector.FOOD),
        ("maraîchage", Sector.AGRICULTURE),
        ("Tiers-lieux", Sector.THIRD_PLACE),
        ("Vélos", Sector.MOBILITY),
        ("Économie circulaire", Sector.CIRCULAR),
        ("Ressourceries", Sector.CIRCULAR),
        ("Recylage", Sector.CIRCULAR),  # a typo
        ("Habitat", Sector.CONSTRUCTION),
        ("Numériques", Sector.DIGITAL),
    ],
)
def test_written_ways_find_their_sector(written, sector):
    assert normalise_sector(written) == sector


def test_an_unknown_name_finds_nothing():
    assert normalise_sector("Aéronautique spatiale") is None
    assert normalise_sector("") is None


def test_the_fix_proposes_the_label_and_leaves_known_names_alone():
    assert fix_sector("Épiceries solidaires") == (
        ImportFault.SECTOR_SPELLING,
        "Alimentation, épicerie solidaire",
    )
    assert fix_sector("Alimentation, épicerie solidaire") is None
    assert fix_sector("Aéronautique") is None


@pytest.mark.django_db
def test_the_import_preview_offers_the_sector_fix(officer):
    text = (
        "Nom du projet;Prénom;Nom;Email;Secteur;Commune\r\n"
        "Épicerie du Mont;Léa;Martin;lea@exemple.fr;Epiceries solidaires;Créteil\r\n"
    )
    table = read_upload("projets.csv", text.encode("cp1252"))
    report = run_import(kind="projects", table=table, by=officer, dry_run=True)
    [proposal] = [p for p in report.proposals if p.fault == ImportFault.SECTOR_SPELLING]
    assert proposal.proposed == "Alimentation, épicerie solidaire" and proposal.line == 2
    accepted = {"rows": {proposal.row_key: "accept"}}
    report = run_import(kind="projects", table=table, by=officer, dry_run=True, fixes=accepted)
    assert report.refused == 0 and report.new == 1
