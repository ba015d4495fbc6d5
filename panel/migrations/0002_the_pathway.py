from django.db import migrations


def create_the_pathway(apps, schema_editor):
    Pathway = apps.get_model("panel", "Pathway")
    Pathway.objects.get_or_create(pk=1, defaults={"name": "CASPA", "cap": 15})


class Migration(migrations.Migration):
    dependencies = [("panel", "0001_initial")]

    operations = [migrations.RunPython(create_the_pathway, migrations.RunPython.noop)]
