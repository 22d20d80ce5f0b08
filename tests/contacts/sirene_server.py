"""A local stand-in for the SIRENE API ("Recherche d'entreprises"): answers /search with
recorded-shape JSON on 127.0.0.1, so no test reaches the network."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

RECYCLERIE = {
    "siren": "732829320",
    "nom_complet": "RECYCLERIE DU MONT (LA)",
    "nom_raison_sociale": "LA RECYCLERIE DU MONT",
    "nature_juridique": "9220",
    "activite_principale": "38.32Z",
    "etat_administratif": "A",
    "date_creation": "2015-03-02",
    "date_fermeture": None,
    "tranche_effectif_salarie": "11",
    "siege": {
        "siret": "73282932000074",
        "adresse": "12 RUE DU MONT MESLY 94000 CRETEIL",
        "code_postal": "94000",
        "libelle_commune": "CRETEIL",
        "commune": "94028",
        "activite_principale": "38.32Z",
        "etat_administratif": "A",
        "date_creation": "2015-03-02",
        "date_fermeture": None,
    },
    "matching_etablissements": [
        {
            "siret": "73282932000082",
            "adresse": "3 AVENUE DU GENERAL DE GAULLE 94470 BOISSY-SAINT-LEGER",
            "code_postal": "94470",
            "libelle_commune": "BOISSY-SAINT-LEGER",
            "commune": "94004",
            "activite_principale": "38.32Z",
            "etat_administratif": "F",
            "date_creation": "2018-01-01",
            "date_fermeture": "2024-06-30",
        }
    ],
    "complements": {"est_ess": True},
}


class FakeSirene:
    def __init__(self):
        self.companies = {RECYCLERIE["siren"]: RECYCLERIE}
        self.status = 200
        self.delay = 0.0
        self.body = None
        self.requests: list[str] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake.requests.append(self.path)
                if fake.delay:
                    time.sleep(fake.delay)
                query = parse_qs(urlparse(self.path).query).get("q", [""])[0]
                company = fake.companies.get(query[:9])
                payload = fake.body or json.dumps(
                    {"results": [company] if company else [], "total_results": int(bool(company))}
                )
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
