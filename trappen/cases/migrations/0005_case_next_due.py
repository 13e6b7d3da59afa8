"""The next deadline stored on the case (cases/next_deadline.py), filled for existing cases;
an index for a child's cases in a municipality (the case page's history)."""

import datetime

from django.db import migrations, models
from django.db.models import DateField, Min, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Least, NullIf


def fill(apps, schema_editor):
    """As next_deadline.refresh, with the models as this migration knows them."""
    Case = apps.get_model("cases", "Case")
    Investigation = apps.get_model("cases", "Investigation")
    FollowUp = apps.get_model("cases", "FollowUp")
    ChildPlan = apps.get_model("cases", "ChildPlan")

    def earliest(queryset, case_path):
        grouped = queryset.order_by().values(case_path).annotate(earliest=Min("due_on"))
        return Subquery(grouped.values("earliest"), output_field=DateField())

    def dues():
        case = OuterRef("pk")
        return {
            "investigation_due_on": earliest(
                Investigation.objects.filter(case=case, completed_on__isnull=True), "case"
            ),
            "follow_up_due_on": earliest(
                FollowUp.objects.filter(intervention__case=case, held_on__isnull=True),
                "intervention__case",
            ),
            "plan_due_on": earliest(
                ChildPlan.objects.filter(
                    case=case, is_needed=True, completed_on__isnull=True, due_on__isnull=False
                ),
                "case",
            ),
        }

    never = Value(datetime.date.max, output_field=DateField())
    next_due = NullIf(Least(*(Coalesce(d, never) for d in dues().values())), never)
    Case.objects.using(schema_editor.connection.alias).update(**dues(), next_due_on=next_due)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0004_voice_alert_kinds"),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name="case",
            name="cases_case_team_id_21e81f_idx",
        ),
        migrations.AddField(
            model_name="case",
            name="follow_up_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="investigation_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddField(
            model_name="case",
            name="next_due_on",
            field=models.DateField(
                blank=True, editable=False, null=True, verbose_name="næste frist"
            ),
        ),
        migrations.AddField(
            model_name="case",
            name="plan_due_on",
            field=models.DateField(blank=True, editable=False, null=True),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["team", "closed_on", "next_due_on"], name="cases_case_team_id_c4c02b_idx"
            ),
        ),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                fields=["child", "municipality"], name="cases_case_child_i_d4d1a5_idx"
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
