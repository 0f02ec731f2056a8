"""Install the default routing rules (category × industry section → department code)."""

from django.db import migrations

# A frozen copy of fugong.appeals.policies.DEFAULT_ROUTING at the time of this migration.
_BY_SECTION = {
    "A": "nyj", "B": "gxj", "C": "gxj", "D": "gxj", "E": "zjj", "F": "swj", "G": "jtj",
    "H": "swj", "I": "kjj", "M": "kjj", "P": "jyj", "Q": "wjj", "R": "wgltj",
}  # fmt: skip
RULES = [
    {"category": "labour", "department": "rsj"},
    {"category": "logistics", "department": "jtj"},
    {"category": "funding", "department": "jrj"},
    {"category": "approval", "department": "scjgj"},
    {"category": "approval", "section": "E", "department": "zjj"},
    {"category": "protective_supplies", "department": "gxj"},
    {"category": "protective_supplies", "section": "Q", "department": "wjj"},
    {"category": "supply_chain", "department": "gxj"},
    *(
        {"category": "supply_chain", "section": s, "department": d}
        for s, d in _BY_SECTION.items()
        if d != "gxj"
    ),
    *({"category": "policy", "section": s, "department": d} for s, d in _BY_SECTION.items()),
]


def install(apps, schema_editor):
    RoutingRule = apps.get_model("appeals", "RoutingRule")
    if not RoutingRule.objects.exists():
        RoutingRule.objects.bulk_create(RoutingRule(**rule) for rule in RULES)


def remove(apps, schema_editor):
    apps.get_model("appeals", "RoutingRule").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [("appeals", "0001_appeals_routing_visits")]
    operations = [migrations.RunPython(install, remove)]
