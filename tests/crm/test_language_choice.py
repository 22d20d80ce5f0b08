"""The language follows the user: saved on the account when chosen in the footer, applied
in any browser they sign in from; the public form has its own switch and a true `lang`."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from crm.models import User

pytestmark = pytest.mark.django_db


def test_choosing_english_saves_it_on_the_account_and_another_browser_follows(officer):
    first = Client()
    first.force_login(officer)
    first.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert User.objects.get(pk=officer.pk).language == "en"

    other = Client()  # another browser, no language cookie
    other.force_login(officer)
    home = other.get(reverse("crm:home"))
    assert '<html lang="en">' in home.content.decode()
    assert "My work" in home.content.decode()
    # The browser is told, so the login page stays in English after signing out.
    assert other.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"


def test_the_account_wins_over_a_browser_left_in_another_language(client, officer):
    User.objects.filter(pk=officer.pk).update(language="fr")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(officer)
    assert '<html lang="fr">' in client.get(reverse("crm:home")).content.decode()


def test_the_public_form_switches_language_and_declares_it(client):
    page = client.get(reverse("registration:form")).content.decode()
    assert '<html lang="fr">' in page
    assert 'action="/i18n/setlang/"' in page and 'name="language"' in page
    client.post(reverse("set_language"), {"language": "en", "next": "/inscription/"})
    english = client.get(reverse("registration:form")).content.decode()
    assert '<html lang="en">' in english
    assert "Demander un accompagnement" not in english
