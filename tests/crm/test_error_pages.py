"""Pages for errors: French by default, English when the user chose it, in the app's layout;
the 500 page renders without the database."""

import pytest
from django.db import connection
from django.template import loader
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import path, reverse
from django.utils import translation

from crm.config import urls as root_urls

pytestmark = pytest.mark.django_db


def test_unknown_page_answers_a_french_404_in_the_layout(client, officer):
    client.force_login(officer)
    response = client.get("/nowhere-at-all/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Page introuvable" in html
    assert 'class="site-header"' in html and "Navigation principale" in html


def test_404_is_english_when_the_user_chose_english(client, officer, settings):
    client.force_login(officer)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.get("/nowhere-at-all/")
    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_forbidden_page_answers_a_french_403_in_the_layout(client, coach):
    client.force_login(coach)
    response = client.get(reverse("security:access-log"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Accès refusé" in html and 'class="site-header"' in html


def test_403_is_english_when_the_user_chose_english(client, coach, settings):
    client.force_login(coach)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    assert "Access denied" in client.get(reverse("security:access-log")).content.decode()


def test_a_form_without_its_token_gets_the_french_csrf_page(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    response = client.post(reverse("logout"))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Formulaire expiré" in html and 'class="site-header"' in html


def test_500_page_renders_without_any_query_in_both_languages():
    with CaptureQueriesContext(connection) as queries:
        french = loader.get_template("500.html").render()
        with translation.override("en"):
            english = loader.get_template("500.html").render()
    assert len(queries) == 0
    assert "Une erreur est survenue" in french
    assert "An error occurred" in english


def _crash(request):
    raise RuntimeError("boom")


# This module is also the URLconf of the last test: the site's routes plus one that crashes.
urlpatterns = [*root_urls.urlpatterns, path("crash/", _crash)]


@pytest.mark.urls(__name__)
def test_a_crash_answers_the_french_500_page(officer):
    client = Client(raise_request_exception=False)
    client.force_login(officer)
    response = client.get("/crash/")
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()
