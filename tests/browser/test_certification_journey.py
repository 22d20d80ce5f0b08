"""An officer certifies a month of service done, then revokes it with a reason after a
confirmation page: the statement's figures and its history follow."""

import datetime
from decimal import Decimal

from playwright.sync_api import expect

from followups import services
from followups.models import OrderLine, PurchaseOrder, ServiceCertification, UnitKind, UnitPrice
from tests.browser.conftest import log_in
from tests.factories import ContractFactory, OfficerFactory, ProjectFactory

PASSWORD = "correct-horse-battery"


def test_officer_revokes_a_certification_with_a_reason(page, transactional_db, assert_accessible):
    officer = OfficerFactory(username="camille", password=PASSWORD)
    contract = ContractFactory(
        reference="2026-REVOC",
        start_date=datetime.date(2026, 1, 1),
        end_date=datetime.date(2026, 12, 31),
    )
    UnitPrice.objects.create(contract=contract, unit=UnitKind.COACHING_HOUR, price=Decimal(80))
    order = PurchaseOrder.objects.create(
        contract=contract, number="BC-REVOC", issued_on=datetime.date(2026, 2, 1)
    )
    OrderLine.objects.create(order=order, unit=UnitKind.COACHING_HOUR, quantity=40)
    services.meeting_log(
        project=ProjectFactory(officer=officer),
        by=officer,
        details=services.MeetingDetails(
            start=datetime.datetime(2026, 3, 10, 10, tzinfo=datetime.UTC),
            duration_minutes=120,
            order=order,
        ),
    )
    log_in(page, "camille", PASSWORD)
    page.goto(f"/orders/{order.pk}/statement/?month=2026-03")
    page.get_by_role("button", name="Certifier le service fait de 03/2026").click()
    expect(page.get_by_text("Service fait certifié pour 03/2026.")).to_be_visible()
    expect(page.get_by_text("Certifié à ce jour sur ce bon : 160\u00a0€.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Annuler la certification de 03/2026…").click()
    expect(
        page.get_by_role("heading", name="Annuler la certification de 03/2026 (bon BC-REVOC)")
    ).to_be_visible()
    assert_accessible(page)
    # Without a reason, nothing is revoked and the field says why.
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.get_by_text("Ce champ est obligatoire.").first).to_be_visible()
    assert_accessible(page)
    assert ServiceCertification.objects.active().count() == 1
    page.get_by_label("Motif de l'annulation").fill("Rendez-vous imputé sur le mauvais bon.")
    page.get_by_role("button", name="Confirmer l'annulation").click()
    expect(page.get_by_text("La certification de 03/2026 est annulée.")).to_be_visible()
    expect(page.get_by_text("Certifié à ce jour sur ce bon : 0\u00a0€.")).to_be_visible()
    history = page.get_by_role("table", name="Historique du service fait sur ce bon")
    expect(history.get_by_text("Rendez-vous imputé sur le mauvais bon.")).to_be_visible()
    expect(page.get_by_role("button", name="Certifier le service fait de 03/2026")).to_be_visible()
    assert_accessible(page)
    revoked = ServiceCertification.objects.get()
    assert revoked.revoked_by == officer
