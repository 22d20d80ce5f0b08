"""The English catalogue: pages read in English once English is chosen, and it is complete.

The French msgids are the source text. When a change adds or rewords a user-facing string,
update the catalogue with `make messages` (makemessages -l en, then compilemessages), translate
the new empty `msgstr` entries in locale/en/LC_MESSAGES/django.po (no `#, fuzzy` left), run
`make messages` again to compile, and commit both django.po and django.mo. The tests below fail
until that is done: they list the strings that are missing, empty or out of date.
"""

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils.html import strip_tags
from django.utils.translation.template import templatize

from tests.factories import ProjectFactory

ROOT = Path(__file__).resolve().parents[2]
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")
SOURCE_DIRS = ["contacts", "crm", "followups", "reports", "templates"]
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|%%|\{\w*\}")


def english(client):
    """Choose English the way a user does: the footer's language form (i18n/setlang)."""
    client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert client.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


@pytest.mark.django_db
def test_login_page_in_english(client):
    english(client)
    content = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in content
    assert "Log in" in content and "Password" in content and "Forgotten your password?" in content
    assert "Se connecter" not in content and "Mot de passe" not in content


@pytest.mark.django_db
def test_home_and_project_list_in_english_for_an_officer(client, officer, project):
    ProjectFactory(name="Recyclerie du Val", officer=officer)
    client.force_login(officer)
    english(client)

    home = client.get(reverse("crm:home")).content.decode()
    assert "Projects" in home and "Key figures" in home and "My work" in home
    assert "Log out" in home and "Skip to content" in home
    for french in ("Chiffres clés", "Mon travail", "Se déconnecter", "Aller au contenu"):
        assert french not in home

    listing = client.get(reverse("crm:project-list")).content.decode()
    assert "Atelier vélo des Bords de Marne" in listing  # data stays as entered
    assert "Supported projects" in listing and "Entrepreneur" in listing and "Stage" in listing
    assert "Filter" in listing and "Export" in listing
    for french in ("Projets accompagnés", "Porteur·se", "Filtrer", "Réinitialiser"):
        assert french not in listing


@pytest.mark.django_db
def test_french_stays_the_default_without_a_choice(client, officer):
    client.force_login(officer)
    content = client.get(reverse("crm:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Chiffres clés" in content and "Key figures" not in content


def read_po(path):
    """Entries of a .po file as dicts: msgctxt, msgid, msgid_plural, msgstr[n], flags."""
    entries, entry, key = [], None, None

    def finish():
        if entry is not None and "msgid" in entry:
            entries.append(entry)

    for line in path.read_text(encoding="utf-8").splitlines() + [""]:
        if not line.strip():
            finish()
            entry, key = None, None
            continue
        if entry is None:
            entry = {"flags": set()}
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            entry[key] += ast.literal_eval(line)
        else:
            key, _, value = line.partition(" ")
            entry[key] = ast.literal_eval(value)
    return entries


def translations(entry):
    return [value for key, value in entry.items() if key.startswith("msgstr")]


def test_catalogue_has_no_untranslated_or_fuzzy_entry():
    entries = read_po(CATALOGUE)
    header, messages = entries[0], entries[1:]
    assert header["msgid"] == "" and "fuzzy" not in header["flags"]
    assert "Language: en" in header["msgstr"]
    assert len(messages) > 1000
    untranslated = [e["msgid"] for e in messages if not all(s.strip() for s in translations(e))]
    fuzzy = [e["msgid"] for e in messages if "fuzzy" in e["flags"]]
    assert untranslated == [], "untranslated, see this module's docstring"
    assert fuzzy == [], "fuzzy, see this module's docstring"
    plural = [e for e in messages if "msgid_plural" in e]
    assert plural and all({"msgstr[0]", "msgstr[1]"} <= e.keys() for e in plural)


def test_translations_keep_every_placeholder():
    wrong = []
    for entry in read_po(CATALOGUE)[1:]:
        sources = [entry["msgid"], entry.get("msgid_plural", entry["msgid"])]
        for index, text in enumerate(translations(entry)):
            source = sources[min(index, 1)]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
                wrong.append((source, text))
    assert wrong == []


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed (a machine without gettext still gets English): it must be
    compiled from the current django.po."""
    with COMPILED.open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)
    stale = []
    for entry in read_po(CATALOGUE)[1:]:
        msgid = entry["msgid"]
        if "msgctxt" in entry:
            msgid = f"{entry['msgctxt']}\x04{msgid}"
        if "msgid_plural" in entry:
            found = [catalogue.ngettext(msgid, entry["msgid_plural"], n) for n in (1, 2)]
            expected = [entry["msgstr[0]"], entry["msgstr[1]"]]
        else:
            found, expected = catalogue.gettext(msgid), entry["msgstr"]
        if found != expected:
            stale.append(entry["msgid"])
    assert stale == [], "django.mo is out of date: run `make messages`"


# templatize() writes u'...' or u"..." literals.
LITERAL_PATTERN = r"""u?(?:'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")"""
GETTEXT_CALL = re.compile(rf"\b(_|n?p?gettext)\(((?:\s*{LITERAL_PATTERN}\s*,?)+)")
LITERAL = re.compile(LITERAL_PATTERN)
PYTHON_GETTEXT = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}
PYTHON_PGETTEXT = {"pgettext", "pgettext_lazy", "npgettext", "npgettext_lazy"}
PYTHON_MARKERS = PYTHON_GETTEXT | PYTHON_PGETTEXT


def source_msgids():
    """(msgid, where) for every literal string marked for translation in the code."""
    for directory in SOURCE_DIRS:
        for path in sorted((ROOT / directory).rglob("*")):
            where = str(path.relative_to(ROOT))
            if path.suffix == ".py":
                for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                    name = getattr(getattr(node, "func", None), "id", None)
                    if not isinstance(node, ast.Call) or name not in PYTHON_MARKERS:
                        continue
                    arguments = node.args[1:] if name in PYTHON_PGETTEXT else node.args
                    msgid = arguments[0] if arguments else None
                    if isinstance(msgid, ast.Constant) and isinstance(msgid.value, str):
                        yield msgid.value, where
            elif path.suffix in {".html", ".txt"}:
                code = templatize(path.read_text(encoding="utf-8"), origin=str(path))
                for function, arguments in GETTEXT_CALL.findall(code):
                    literals = [ast.literal_eval(s.lstrip("u")) for s in LITERAL.findall(arguments)]
                    yield literals[1 if function.startswith(("p", "np")) else 0], where


def test_every_string_marked_in_the_code_is_in_the_catalogue():
    known = {entry["msgid"] for entry in read_po(CATALOGUE)}
    missing = sorted({(msgid, where) for msgid, where in source_msgids() if msgid not in known})
    assert missing == [], "new strings: run `make messages` and translate them"


@pytest.mark.django_db
def test_form_errors_use_english_punctuation(client, officer):
    client.force_login(officer)
    english(client)
    content = client.post(reverse("crm:project-create"), {"name": ""}).content.decode()
    summary = strip_tags(content.split('id="error-summary"')[1].split("</div>")[0])
    assert "The form contains errors: correct the highlighted fields." in summary
    assert "Project name: This field is required." in " ".join(summary.split())
    assert " : " not in summary
