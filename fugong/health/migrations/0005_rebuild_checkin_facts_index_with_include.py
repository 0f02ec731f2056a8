from django.db import migrations, models

# A database seeded before the seed rebuilt its indexes with Django's own SQL has
# checkin_person_date_facts without its INCLUDE columns (the rules then read the table, not
# just the index). Dropping and creating it again gives every database the same index.
FACTS_INDEX = models.Index(
    fields=["person", "date"],
    include=["temperature", "close_contact", "symptoms"],
    name="checkin_person_date_facts",
)


class Migration(migrations.Migration):
    dependencies = [("health", "0004_checkin_indexes_cover_the_rules")]

    operations = [
        migrations.RemoveIndex(model_name="checkin", name="checkin_person_date_facts"),
        migrations.AddIndex(model_name="checkin", index=FACTS_INDEX),
    ]
