"""A partial index on the open dossiers marked late by a second supplement request
(``late_by_rule``): the supervision report and the Decision 766 index read them apart from
the overdue ones, so that their cost follows these few dossiers, not every open one."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0003_queue_unit_open_with_agency"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(
                condition=models.Q(
                    ("late_by_rule", True),
                    (
                        "state__in",
                        ["awaiting_obligation", "in_process", "received", "supplement_requested"],
                    ),
                ),
                fields=["receiving_agency", "received_at"],
                name="dossier_open_late_by_rule",
            ),
        ),
    ]
