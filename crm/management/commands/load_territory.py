from django.core.management.base import BaseCommand, CommandError

from crm.projects.territory import TerritoryError, territory_load


class Command(BaseCommand):
    help = (
        "Replace the territory's communes with those of a CSV (INSEE code, name, postal "
        "codes) and their outlines from a GeoJSON (IGN boundaries), in one transaction. "
        "Communes of the old territory still named by a record are kept outside the territory."
    )

    def add_arguments(self, parser):
        parser.add_argument("--communes", required=True, help="CSV: insee_code,name,postal_code")
        parser.add_argument(
            "--geojson", required=True, help="FeatureCollection keyed by properties.code"
        )

    def handle(self, *args, **options):
        try:
            counts = territory_load(communes_csv=options["communes"], geojson=options["geojson"])
        except (TerritoryError, OSError) as error:
            raise CommandError(str(error)) from None
        self.stdout.write(
            "Territory loaded: {created} commune(s) created, {updated} updated, "
            "{kept_outside} kept outside the territory (still named by records), "
            "{deleted} deleted.".format(**counts)
        )
