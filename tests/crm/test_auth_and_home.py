import pytest
from django.core import mail
from django.urls import reverse
from pytest_django.asserts import assertContains

from tests.factories import ProjectFactory


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_the_login_page(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_login_page_is_french_and_labelled(client):
    response = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9")
    content = response.content.decode()
    assert '<html lang="fr">' in content
    assert "Connexion" in content and "Mot de passe" in content
    assert 'href="#main"' in content  # skip link
    assert '<label for="id_username">' in content


@pytest.mark.django_db
def test_wrong_password_gets_a_french_message(client, officer):
    response = client.post(reverse("login"), {"username": officer.username, "password": "nope"})
    assert response.status_code == 200
    assert "Saisissez un nom d’utilisateur et un mot de passe valides" in response.content.decode()


@pytest.mark.django_db
def test_login_then_logout(client, officer):
    response = client.post(
        reverse("login"), {"username": officer.username, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("crm:home")
    assert client.get("/").status_code == 200
    response = client.post(reverse("logout"))
    assert "Vous êtes déconnecté·e" in response.content.decode()
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_logout_by_get_is_refused(client, officer):
    client.force_login(officer)
    assert client.get(reverse("logout")).status_code == 405
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_password_reset_sends_a_french_email(client, officer):
    response = client.post(reverse("password_reset"), {"email": officer.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "Réinitialisation de votre mot de passe" in mail.outbox[0].subject
    assert "/accounts/reset/" in mail.outbox[0].body


@pytest.mark.django_db
def test_password_change_requires_twelve_characters(client, officer):
    client.force_login(officer)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": "correct-horse-battery",
            "new_password1": "Court-1",
            "new_password2": "Court-1",
        },
    )
    assert "au minimum 12 caractères" in response.content.decode()


@pytest.mark.django_db
def test_officer_home_shows_the_programme_and_their_portfolio(client, officer, project):
    client.force_login(officer)
    content = client.get("/").content.decode()
    assert "Mon portefeuille : 1 projet en cours" in content
    assert "Créteil" in content  # projects by commune
    assert "Atelier vélo des Bords de Marne" in content  # latest moves


@pytest.mark.django_db
def test_coach_home_lists_only_their_projects(client, coach, other_coach, project):
    ProjectFactory(name="Compost de Sucy", coach=other_coach)
    client.force_login(coach)
    content = client.get("/").content.decode()
    assert "Mes projets par étape" in content
    assert "Atelier vélo des Bords de Marne" in content
    assert "Compost de Sucy" not in content


@pytest.mark.django_db
def test_manager_home_is_read_only_overview(client, manager, project):
    client.force_login(manager)
    content = client.get("/").content.decode()
    assert "lecture seule" in content
    assert "Projets par statut du suivi" in content
    assert "Administration" not in content


@pytest.mark.django_db
def test_user_without_role_is_told_to_ask_for_one(client, no_role_user, project):
    client.force_login(no_role_user)
    content = client.get("/").content.decode()
    assert "n'a pas encore de rôle" in content
    assert "Atelier vélo" not in content


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["officer", "coach", "manager"])
def test_home_runs_a_fixed_number_of_queries(
    client, request, persona, django_assert_max_num_queries, coach
):
    user = request.getfixturevalue(persona)
    client.force_login(user)
    ProjectFactory.create_batch(2, coach=coach)
    with django_assert_max_num_queries(20) as small:
        client.get("/")
    ProjectFactory.create_batch(30, coach=coach)
    # session, user, groups, then the home figures: the count must not grow with the data.
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/")


@pytest.mark.django_db
def test_english_can_be_chosen_and_french_stays_the_default(client):
    client.post(reverse("set_language"), {"language": "en", "next": "/accounts/login/"})
    assert '<html lang="en">' in client.get(reverse("login")).content.decode()
    client.cookies.clear()
    assert '<html lang="fr">' in client.get(reverse("login")).content.decode()


@pytest.mark.django_db
def test_coach_home_shows_a_page_of_cards_per_stage_with_the_full_count(client, coach):
    ProjectFactory.create_batch(15, coach=coach, stage="launch")
    client.force_login(coach)
    response = client.get("/")
    assertContains(response, '<span class="count">15</span>', html=True)
    assertContains(response, "… et 3 autres : voir la liste")
