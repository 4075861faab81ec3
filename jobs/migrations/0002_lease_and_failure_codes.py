"""A job's failure kept as a reason code (read in the reader's language), its lease and attempts, and
"succeeded" for the status of a job that ended well (was "done")."""

from django.db import migrations, models


def forwards(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(status="done").update(status="succeeded")
    for job in Job.objects.exclude(error=""):
        job.failure = {"code": "job_refused", "params": {"messages": [job.error]}}
        job.save(update_fields=["failure"])


def backwards(apps, schema_editor):
    Job = apps.get_model("jobs", "Job")
    Job.objects.filter(status="succeeded").update(status="done")
    for job in Job.objects.exclude(failure={}):
        job.error = " ".join(job.failure.get("params", {}).get("messages", [])) or job.failure.get("code", "")
        job.save(update_fields=["error"])


class Migration(migrations.Migration):
    dependencies = [
        ("jobs", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="job",
            name="status",
            field=models.CharField(choices=[("queued", "Đang chờ"), ("running", "Đang chạy"),
                                            ("succeeded", "Hoàn thành"), ("failed", "Không thành công")],
                                   db_index=True, default="queued", max_length=10, verbose_name="Trạng thái"),
        ),
        migrations.AddField(
            model_name="job",
            name="failure",
            field=models.JSONField(blank=True, default=dict),
        ),
        migrations.RunPython(forwards, backwards),
        migrations.RemoveField(
            model_name="job",
            name="error",
        ),
        migrations.AddField(
            model_name="job",
            name="attempts",
            field=models.PositiveSmallIntegerField(default=0, verbose_name="Số lần chạy"),
        ),
        migrations.AddField(
            model_name="job",
            name="lease_until",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="job",
            name="worker",
            field=models.CharField(blank=True, max_length=200, verbose_name="Tiến trình"),
        ),
    ]
