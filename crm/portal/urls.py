"""Routes of the entrepreneur space (namespace "portal"), under /espace/. The invite and
revoke routes are the staff's (buttons of the person page); the others are the
entrepreneur's, except the invitation link, which needs no login."""

from django.urls import path

from crm.portal.views import invitations, space

app_name = "portal"

urlpatterns = [
    path("", space.home, name="home"),
    path("etapes/<int:pk>/faite/", space.action_done, name="action-done"),
    path("partages/", space.shared, name="shared"),
    path("documents/<int:pk>/telecharger/", space.download, name="download"),
    path("candidatures/", space.applications, name="applications"),
    path("candidatures/<int:pk>/lettre/", space.letter, name="letter"),
    path("ateliers/", space.workshops, name="workshops"),
    path("ateliers/<int:pk>/inscription/", space.workshop_register, name="workshop-register"),
    path("ateliers/<int:pk>/annulation/", space.workshop_cancel, name="workshop-cancel"),
    path("coordonnees/", space.details, name="details"),
    path("mes-donnees/", space.data, name="data"),
    path("mes-donnees/export/", space.data_export, name="data-export"),
    path("mes-donnees/effacement/", space.erasure_request, name="erasure-request"),
    path("invitation/<str:token>/", invitations.accept, name="accept"),
    path("invitation/<str:token>/nouveau-lien/", invitations.renewal, name="renewal"),
    path("personnes/<int:person_pk>/inviter/", invitations.invite, name="invite"),
    path("personnes/<int:person_pk>/revoquer/", invitations.revoke, name="revoke"),
]
