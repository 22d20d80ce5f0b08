"""French wording of the scaled follow-ups: meeting summaries, decisions, notes, workshops."""

MEETING_SUMMARIES = [
    "Point sur le modèle économique et les premières ventes.",
    "Plan de financement : la banque attend le prévisionnel sur trois ans.",
    "Gouvernance : répartition des rôles entre les associé·es.",
    "Recherche de local : deux pistes à visiter, un bail précaire possible.",
    "Préparation du dossier pour le comité d'engagement.",
    "Étude de marché : retours des premiers entretiens clients.",
    "Statuts : comparaison SCIC, SCOP et association.",
    "Recrutement du premier salarié, aides à l'embauche.",
    "Réponse à un marché public réservé ESS.",
    "Bilan de l'année et objectifs pour la suivante.",
]
DECISIONS = [
    "",
    "",
    "Valider le prévisionnel avant le prochain point.",
    "Présenter le projet au comité de France Active.",
    "Rencontrer deux partenaires du territoire.",
]
NOTE_TEXTS = {
    "internal": [
        "Dossier fragile : vigilance sur la trésorerie.",
        "Tension entre les associé·es, à suivre avec discrétion.",
        "Ne pas présenter au comité avant d'avoir le prévisionnel.",
    ],
    "provider": [
        "À revoir au prochain point.",
        "Prévoir un temps sur la tarification.",
        "Orientation vers l'atelier marchés publics.",
    ],
    "entrepreneur": [
        "Documents à préparer : budget, statuts, CV des associé·es.",
        "Liste des financeurs à contacter, envoyée par courriel.",
    ],
}
EVENT_TITLES = [
    ("Atelier : répondre aux marchés publics réservés ESS", "workshop"),
    ("Atelier : construire son plan de financement", "workshop"),
    ("Atelier : choisir son statut juridique", "workshop"),
    ("Atelier : trouver un local, bail et tiers-lieu", "workshop"),
    ("Atelier : piloter sa trésorerie", "workshop"),
    ("Temps d'information : l'appel à projets Initiatives d'ESS", "information"),
    ("Temps d'information : se lancer dans l'ESS", "information"),
]
PLACES = ["Maison de l'ESS, Créteil", "Pépinière de Vitry", "Médiathèque de Champigny", ""]
