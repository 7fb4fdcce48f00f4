"""Generate synthetic clusters for benchmarks: manage.py generate_clusters --count N --seed S.

Realistic proportions (mostly competitiveness and business clusters, a few
private ones; one or two sectors and regions each; a fifth without English
text), FR and EN descriptions from word lists, label history and a contact
for some. Everything is inserted in bulk. Generated rows have slugs starting
with "synthetic-" and never touch the shipped guide; --delete removes them.
"""

import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from directory.content_version import bump
from directory.links import refresh_links
from directory.models import Cluster, ClusterType, Contact, Labelling, Region, Sector
from editing.history import without_history

PREFIX = "synthetic-"
TYPE_WEIGHTS = {
    "pole-de-competitivite": 20,
    "grappe-d-entreprises": 35,
    "pole-d-innovation-artisanat": 8,
    "ptce": 12,
    "cluster-regional": 18,
    "cluster-prive": 7,
}
ROOTS = [
    "Aéro",
    "Agri",
    "Bio",
    "Céram",
    "Cosmé",
    "Digi",
    "Éco",
    "Énergi",
    "Hydro",
    "Lumi",
    "Méca",
    "Médi",
    "Nautil",
    "Nano",
    "Optic",
    "Plast",
    "Robo",
    "Texti",
    "Véhi",
    "Xylo",
]
SUFFIXES = [
    "Valley",
    "Pôle",
    "Cluster",
    "Réseau",
    "Alliance",
    "Tech",
    "Lab",
    "Synergie",
    "Avenir",
    "Innov",
]
CITIES = [
    "Lyon",
    "Nantes",
    "Rennes",
    "Toulouse",
    "Bordeaux",
    "Lille",
    "Marseille",
    "Grenoble",
    "Dijon",
    "Brest",
    "Caen",
    "Limoges",
    "Nancy",
    "Pau",
    "Saint-Pierre",
    "Saint-Denis",
    "Besançon",
    "Clermont-Ferrand",
    "Orléans",
    "Amiens",
    "Perpignan",
    "Angers",
]
TOPICS_FR = [
    "l'agroalimentaire",
    "les matériaux",
    "le numérique",
    "la santé",
    "l'énergie",
    "le bâtiment durable",
    "la mobilité",
    "la mer",
    "le textile",
    "la chimie verte",
    "l'économie circulaire",
    "les industries créatives",
]
TOPICS_EN = [
    "agrifood",
    "materials",
    "digital technology",
    "health",
    "energy",
    "sustainable building",
    "mobility",
    "the sea",
    "textiles",
    "green chemistry",
    "the circular economy",
    "the creative industries",
]
PUBLICS_FR = ["les PME", "les start-up", "les artisans", "les laboratoires", "les collectivités"]
PUBLICS_EN = ["small firms", "start-ups", "craftspeople", "laboratories", "local authorities"]
FIRST_NAMES = ["Anne", "Paul", "Claire", "Marc", "Élise", "Hugo", "Léa", "Yann", "Inès", "Noé"]
LAST_NAMES = [
    "Martin",
    "Bernard",
    "Dubois",
    "Thomas",
    "Robert",
    "Petit",
    "Durand",
    "Leroy",
    "Moreau",
    "Simon",
    "Laurent",
    "Lefèvre",
    "Michel",
    "Garcia",
    "Roux",
]


class Command(BaseCommand):
    help = "Insert N synthetic clusters for benchmarks (slugs start with 'synthetic-')."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=100_000)
        parser.add_argument("--seed", type=int, default=1)
        parser.add_argument("--batch-size", type=int, default=5000)
        parser.add_argument("--delete", action="store_true", help="Remove synthetic clusters.")

    def handle(self, count, seed, batch_size, delete, **options):
        synthetic = Cluster.objects.filter(slug__startswith=PREFIX)
        if delete:
            with without_history():  # benchmark rows: no history, none for their deletion
                deleted, _ = synthetic.delete()
            self.stdout.write(f"Removed {deleted} synthetic rows.")
            return
        if count < 1:
            raise CommandError("--count must be at least 1.")
        types = {t.slug: t for t in ClusterType.objects.all()}
        sectors = list(Sector.objects.all())
        regions = list(Region.objects.all())
        if not types or not sectors or not regions:
            raise CommandError("Load the guide first (manage.py seed_guide).")
        rng = random.Random(seed)
        start_number = synthetic.count() + 1
        started = time.monotonic()
        made = 0
        while made < count:
            size = min(batch_size, count - made)
            with transaction.atomic():
                self.insert_batch(rng, start_number + made, size, types, sectors, regions)
            made += size
            self.stderr.write(f"\r{made}/{count} clusters", ending="")
        self.stderr.write("")
        bump()
        self.stdout.write(
            f"Inserted {count} synthetic clusters in {time.monotonic() - started:.1f} s."
        )

    def insert_batch(self, rng, first, size, types, sectors, regions):
        type_slugs = list(TYPE_WEIGHTS)
        weights = list(TYPE_WEIGHTS.values())
        clusters = []
        for number in range(first, first + size):
            name = f"{rng.choice(ROOTS)}{rng.choice(SUFFIXES).lower()} {number}"
            topic = rng.randrange(len(TOPICS_FR))
            public = rng.randrange(len(PUBLICS_FR))
            city = rng.choice(CITIES)
            english = rng.random() > 0.2
            clusters.append(
                Cluster(
                    slug=f"{PREFIX}{number}",
                    name_fr=name,
                    name_en="",
                    acronym=name.split()[0][:6].upper() if rng.random() < 0.3 else "",
                    cluster_type=types[rng.choices(type_slugs, weights)[0]],
                    city=city,
                    description_fr=(
                        f"{name} réunit à {city} des entreprises qui travaillent sur "
                        f"{TOPICS_FR[topic]}. Il accompagne {PUBLICS_FR[public]} dans leurs "
                        "projets d'innovation."
                    ),
                    description_en=(
                        f"{name} brings together companies in {city} working on "
                        f"{TOPICS_EN[topic]}. It supports {PUBLICS_EN[public]} in their "
                        "innovation projects."
                    )
                    if english
                    else "",
                    is_published=rng.random() > 0.02,
                    verification="unverified",
                    sources="Synthetic data for benchmarks",
                )
            )
        now = timezone.now()
        for cluster in clusters:  # bulk_create skips save(), which dates a publication
            cluster.published_at = now if cluster.is_published else None
        Cluster.objects.bulk_create(clusters)
        sector_links, region_links, labels, contacts = [], [], [], []
        for cluster in clusters:
            for sector in rng.sample(sectors, rng.choice((1, 1, 2, 2, 3))):
                sector_links.append(Cluster.sectors.through(cluster=cluster, sector=sector))
            for region in rng.sample(
                regions[:13] if rng.random() < 0.9 else regions, rng.choice((1, 1, 1, 2))
            ):
                region_links.append(Cluster.regions.through(cluster=cluster, region=region))
            if rng.random() < 0.5:
                labels.append(
                    Labelling(
                        cluster=cluster,
                        phase_fr="Labellisation synthétique",
                        phase_en="Synthetic labelling",
                        year=rng.randint(2005, 2025),
                        outcome=Labelling.Outcome.LABELLED,
                    )
                )
            if rng.random() < 0.3:
                contacts.append(
                    Contact(
                        cluster=cluster,
                        first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES),
                        role_fr="Chargé de mission",
                        role_en="Project officer",
                    )
                )
        Cluster.sectors.through.objects.bulk_create(sector_links)
        Cluster.regions.through.objects.bulk_create(region_links)
        refresh_links([cluster.pk for cluster in clusters])  # bulk inserts send no signal
        Labelling.objects.bulk_create(labels)
        Contact.objects.bulk_create(contacts)
