"""Each line of a case's chronology says what it is about (panel.models.EventKind), so the
case page can filter its chronology. Lines written before are sorted by their opening words,
which every writer in panel/chronology.py's callers has always used."""

from django.db import migrations, models

# Opening words of the summaries each kind's services write; anything else is the pathway's
# (a referral accepted, waiting, joining, adoption, closure).
OPENINGS = (
    ("actions", ("Action ", "Escalation of action ")),
    ("returns", ("Return from ",)),
    (
        "assessment",
        (
            "Risk ",
            "Desired outcome ",
            "Mental capacity ",
            "What has been tried",
            "The person's views",
        ),
    ),
    ("agencies", ("Agencies ", "Lead agency ")),
    ("meetings", ("MDT meeting ",)),
)


def sort_earlier_lines(apps, schema_editor):
    CaseEvent = apps.get_model("panel", "CaseEvent")
    for kind, openings in OPENINGS:
        for opening in openings:
            CaseEvent.objects.filter(summary__startswith=opening).update(kind=kind)


class Migration(migrations.Migration):
    dependencies = [("panel", "0010_meeting_room")]

    operations = [
        migrations.AddField(
            model_name="caseevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("pathway", "Referral, adoption and closure"),
                    ("agencies", "Lead agency and agencies involved"),
                    ("assessment", "Risk assessment and plan"),
                    ("actions", "Actions"),
                    ("returns", "Agencies' returns"),
                    ("meetings", "MDT meetings"),
                ],
                default="pathway",
                max_length=20,
            ),
            preserve_default=False,
        ),
        migrations.RunPython(sort_earlier_lines, migrations.RunPython.noop),
    ]
