# 补考: a make-up attempt of a class's final exam, granted per trainee.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0005_assignment_allows_late'),
        ('training', '0004_class_ended_status'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='ExamMakeup',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reason')),
                ('closes_at', models.DateTimeField(verbose_name='make-up closes at')),
                ('granted_at', models.DateTimeField(verbose_name='granted at')),
            ],
            options={
                'verbose_name': 'make-up exam',
                'verbose_name_plural': 'make-up exams',
                'ordering': ['quiz', 'trainee'],
            },
        ),
        migrations.AddField(
            model_name='attempt',
            name='is_makeup',
            field=models.BooleanField(default=False, verbose_name='make-up attempt'),
        ),
        migrations.AddConstraint(
            model_name='attempt',
            constraint=models.UniqueConstraint(condition=models.Q(('is_makeup', True)), fields=('quiz', 'trainee'), name='one_makeup_attempt_per_quiz'),
        ),
        migrations.AddField(
            model_name='exammakeup',
            name='attempt',
            field=models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='makeup', to='assessments.attempt', verbose_name='make-up attempt'),
        ),
        migrations.AddField(
            model_name='exammakeup',
            name='granted_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='granted by'),
        ),
        migrations.AddField(
            model_name='exammakeup',
            name='quiz',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='makeups', to='assessments.quiz', verbose_name='final exam'),
        ),
        migrations.AddField(
            model_name='exammakeup',
            name='trainee',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='exam_makeups', to=settings.AUTH_USER_MODEL, verbose_name='trainee'),
        ),
        migrations.AddConstraint(
            model_name='exammakeup',
            constraint=models.UniqueConstraint(fields=('quiz', 'trainee'), name='one_makeup_per_exam'),
        ),
        migrations.AddConstraint(
            model_name='exammakeup',
            constraint=models.CheckConstraint(condition=models.Q(('reason', ''), _negated=True), name='makeup_has_reason'),
        ),
    ]
