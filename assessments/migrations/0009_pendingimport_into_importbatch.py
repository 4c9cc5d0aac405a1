# Question files staged for preview move from assessments.PendingImport into
# training.ImportBatch (kind "questions"), the one staging model of every import.
#
# Every row is copied, the batch id being the old token: a preview page open while the
# migration runs still confirms (its URL carries the token), and confirmed imports keep
# their record. Unconfirmed rows older than a day are copied too and purged by the next
# upload, as before. Reversing copies the question batches back.

from django.db import migrations


def forwards(apps, schema_editor):
    PendingImport = apps.get_model("assessments", "PendingImport")
    ImportBatch = apps.get_model("training", "ImportBatch")
    batches = [
        ImportBatch(
            id=pending.token,
            kind="questions",
            training_class=None,
            created_by_id=pending.uploaded_by_id,
            filename=pending.file_name,
            rows=pending.rows,
            confirmed_at=pending.confirmed_at,
        )
        for pending in PendingImport.objects.iterator()
    ]
    ImportBatch.objects.bulk_create(batches, batch_size=500)
    # auto_now_add stamped them now: give them back their own time.
    for token, created_at in PendingImport.objects.values_list("token", "created_at"):
        ImportBatch.objects.filter(pk=token).update(created_at=created_at)


def backwards(apps, schema_editor):
    PendingImport = apps.get_model("assessments", "PendingImport")
    ImportBatch = apps.get_model("training", "ImportBatch")
    for batch in ImportBatch.objects.filter(kind="questions").iterator():
        pending = PendingImport.objects.create(
            token=batch.id,
            uploaded_by_id=batch.created_by_id,
            file_name=batch.filename,
            rows=batch.rows,
            confirmed_at=batch.confirmed_at,
        )
        PendingImport.objects.filter(pk=pending.pk).update(created_at=batch.created_at)
    ImportBatch.objects.filter(kind="questions").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0008_field_verbose_names"),
        ("training", "0008_importbatch_stages_every_import"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
        migrations.DeleteModel(
            name="PendingImport",
        ),
    ]
