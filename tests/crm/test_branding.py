"""The body's letterhead: edited by officers, in the header of every page and on the PDFs."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from crm.branding.services import forget_brand
from crm.models import Branding
from tests.factories import CallApplicationFactory, CallFactory

pytestmark = pytest.mark.django_db


def _png(size=(60, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, (20, 60, 160)).save(buffer, "PNG")
    return SimpleUploadedFile("mon logo.png", buffer.getvalue(), content_type="image/png")


def _save(client, **data):
    row = Branding.objects.filter(pk=1).first()
    fields = {"name": "", "address": "", "signatory_name": "", "signatory_title": ""}
    if row:
        fields["version"] = row.version
    return client.post(reverse("branding:edit"), {**fields, **data})


def test_without_a_branding_the_header_shows_the_settings_name(client, officer, settings):
    settings.BRAND_NAME = "EPT Grand Paris Sud Est Avenir"
    forget_brand()
    client.force_login(officer)
    html = client.get(reverse("crm:home")).content.decode()
    assert "EPT Grand Paris Sud Est Avenir" in html
    assert ">ESS</span>" not in html  # the placeholder square is gone


def test_officer_sets_name_address_signatory_and_logo_shown_in_the_header(client, officer):
    client.force_login(officer)
    response = _save(
        client,
        name="Territoire des Bords de Marne",
        address="1 place de la Mairie\n94000 Créteil",
        signatory_name="Claire Dubois",
        signatory_title="La vice-présidente chargée de l'ESS",
        logo=_png(),
    )
    assert response.status_code == 302
    row = Branding.objects.get()
    assert row.logo.name.endswith(".png")
    html = client.get(reverse("crm:home")).content.decode()
    assert "Territoire des Bords de Marne" in html
    assert f'src="{reverse("branding:logo")}?v={row.version}"' in html
    logo = client.get(reverse("branding:logo"))
    assert logo.status_code == 200 and logo["Content-Type"] == "image/png"


def test_a_logo_that_is_no_png_or_jpeg_is_refused(client, officer):
    client.force_login(officer)
    svg = SimpleUploadedFile("logo.svg", b"<svg><script>alert(1)</script></svg>")
    response = _save(client, name="X", logo=svg)
    assert response.status_code == 400
    assert not Branding.objects.exists()


def test_coach_and_manager_cannot_edit_the_branding(client, coach, manager):
    for user in (coach, manager):
        client.force_login(user)
        assert client.get(reverse("branding:edit")).status_code == 403
        assert _save(client, name="Pirate").status_code == 403
    assert not Branding.objects.exists()


def test_the_branding_is_read_once_then_from_the_cache(
    client, officer, django_assert_max_num_queries
):
    Branding.objects.create(pk=1, name="Territoire des Bords de Marne")
    forget_brand()
    client.force_login(officer)
    with django_assert_max_num_queries(50) as cold:
        assert "Territoire des Bords de Marne" in client.get(reverse("crm:home")).content.decode()
    assert sum("crm_branding" in q["sql"] for q in cold.captured_queries) == 1
    with django_assert_max_num_queries(50) as queries:
        client.get(reverse("crm:home"))
    assert not any("crm_branding" in q["sql"] for q in queries.captured_queries)


def test_the_letters_carry_the_letterhead_and_signatory(client, officer):
    from crm.intake.services import calls as intake

    client.force_login(officer)
    _save(
        client,
        name="Territoire des Bords de Marne",
        address="1 place de la Mairie\n94000 Créteil",
        signatory_name="Claire Dubois",
        signatory_title="La vice-présidente chargée de l'ESS",
        logo=_png(),
    )
    application = CallApplicationFactory(call=CallFactory(year=2026), amount_requested=3000)
    intake.call_application_decide(
        application=application, by=officer, decision="winner", amount_awarded=2500
    )
    response = client.get(reverse("crm:call-application-letter", args=[application.pk]))
    reader = PdfReader(io.BytesIO(response.content))
    text = reader.pages[0].extract_text()
    assert "Territoire des Bords de Marne" in text and "94000 Créteil" in text
    assert "Claire Dubois" in text
    assert list(reader.pages[0].images)  # the logo, inlined


def test_the_follow_up_sheet_and_activity_report_carry_the_letterhead(client, officer, project):
    Branding.objects.create(pk=1, name="Territoire des Bords de Marne")
    forget_brand()
    client.force_login(officer)
    for url in (
        reverse("sheets:project-fiche-pdf", args=[project.pk]),
        reverse("reports:bilan-pdf"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
        assert "Territoire des Bords de Marne" in text, url


def test_officer_sets_the_colour_and_every_page_wears_it(client, officer):
    client.force_login(officer)
    assert _save(client, name="Territoire", colour="#6b2fa3").status_code == 302
    row = Branding.objects.get()
    html = client.get(reverse("crm:home")).content.decode()
    stylesheet = f'href="{reverse("branding:colours")}?v={row.version}"'
    assert stylesheet in html
    assert "Identité de l'organisme" in html  # the page is in the officers' menu
    css = client.get(reverse("branding:colours"))
    assert css["Content-Type"].startswith("text/css")
    assert "--blue: #6b2fa3;" in css.content.decode()
    client.logout()
    assert stylesheet in client.get(reverse("login")).content.decode()


def test_a_colour_too_light_to_read_on_white_is_refused_naming_the_field(client, officer):
    client.force_login(officer)
    response = _save(client, name="Territoire", colour="#f0a000")
    assert response.status_code == 400
    content = response.content.decode()
    assert "trop claire" in content and 'href="#id_colour"' in content
    assert not Branding.objects.filter(colour="#f0a000").exists()


def test_without_a_colour_no_stylesheet_is_linked(client, officer):
    client.force_login(officer)
    assert reverse("branding:colours") not in client.get(reverse("crm:home")).content.decode()
    assert client.get(reverse("branding:colours")).status_code == 404
