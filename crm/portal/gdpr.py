"""The portal in the personal-data lifecycle (registered in contacts.gdpr.hooks): an
erased person's account can no longer log in and no longer names them (its login was
their e-mail address); their links, waiting places and requests go."""

from crm.portal.models import ErasureRequest, PortalAccount, PortalInvitation, WaitlistEntry


def erase_accounts(pks: list[int], counts) -> None:
    for account in PortalAccount.objects.filter(person__in=pks).select_related("user"):
        user = account.user
        user.username = f"porteur-efface-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        counts["crm.User"] += 1
    for model in (PortalInvitation, WaitlistEntry, ErasureRequest):
        deleted = model.objects.filter(person__in=pks).delete()[0]
        if deleted:
            counts[model._meta.label] += deleted
