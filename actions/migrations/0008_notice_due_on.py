from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def each_notice_names_the_due_date_it_was_about(apps, schema_editor):
    """Notices recorded before: about the date their action is due by now."""
    Action = apps.get_model("actions", "Action")
    Notice = apps.get_model("actions", "Notice")
    Notice.objects.update(
        due_on=Subquery(Action.objects.filter(pk=OuterRef("action_id")).values("due_on")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [
        ("actions", "0007_action_risk_and_escalation_people"),
    ]

    operations = [
        migrations.AddField(
            model_name="notice",
            name="due_on",
            field=models.DateField(null=True),
        ),
        migrations.RunPython(each_notice_names_the_due_date_it_was_about, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="notice",
            name="due_on",
            field=models.DateField(
                help_text="The date the action was due by when it was recorded."
            ),
        ),
        migrations.RemoveConstraint(model_name="notice", name="each_notice_once"),
        migrations.AddConstraint(
            model_name="notice",
            constraint=models.UniqueConstraint(
                fields=("action", "kind", "recipient", "due_on"), name="each_notice_once"
            ),
        ),
    ]
