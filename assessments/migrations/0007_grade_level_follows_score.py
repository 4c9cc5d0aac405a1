# A written work's level follows its score by the assignment's thresholds, unless the
# grader overrides it with a reason (stored on the work and in its grading history).

import django.core.validators
from decimal import Decimal
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('assessments', '0006_exam_makeup'),
    ]

    operations = [
        migrations.AddField(
            model_name='assignment',
            name='excellent_from',
            field=models.DecimalField(decimal_places=2, default=Decimal('90'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='excellent from (score rate %)'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='full_marks',
            field=models.PositiveSmallIntegerField(default=100, validators=[django.core.validators.MinValueValidator(1), django.core.validators.MaxValueValidator(1000)], verbose_name='full marks'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='good_from',
            field=models.DecimalField(decimal_places=2, default=Decimal('80'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='good from (score rate %)'),
        ),
        migrations.AddField(
            model_name='assignment',
            name='pass_from',
            field=models.DecimalField(decimal_places=2, default=Decimal('60'), max_digits=5, validators=[django.core.validators.MinValueValidator(Decimal('0')), django.core.validators.MaxValueValidator(Decimal('100'))], verbose_name='pass from (score rate %)'),
        ),
        migrations.AddField(
            model_name='attemptquestion',
            name='grade_overridden',
            field=models.BooleanField(default=False, verbose_name='level set by the grader'),
        ),
        migrations.AddField(
            model_name='attemptquestion',
            name='grade_override_reason',
            field=models.TextField(blank=True, verbose_name='reason for the level'),
        ),
        migrations.AddField(
            model_name='gradechange',
            name='grade_overridden',
            field=models.BooleanField(default=False, verbose_name='level set by the grader'),
        ),
        migrations.AddField(
            model_name='gradechange',
            name='override_reason',
            field=models.TextField(blank=True, verbose_name='reason for the level'),
        ),
        migrations.AddField(
            model_name='submission',
            name='grade_overridden',
            field=models.BooleanField(default=False, verbose_name='level set by the grader'),
        ),
        migrations.AddField(
            model_name='submission',
            name='grade_override_reason',
            field=models.TextField(blank=True, verbose_name='reason for the level'),
        ),
        migrations.AlterField(
            model_name='submission',
            name='score',
            field=models.DecimalField(blank=True, decimal_places=1, max_digits=5, null=True, validators=[django.core.validators.MinValueValidator(Decimal('0'))], verbose_name='score'),
        ),
        migrations.AddConstraint(
            model_name='assignment',
            constraint=models.CheckConstraint(condition=models.Q(('pass_from__lte', models.F('good_from')), ('good_from__lte', models.F('excellent_from'))), name='assignment_thresholds_in_order', violation_error_message='The thresholds must rise from pass to good to excellent.'),
        ),
        migrations.AddConstraint(
            model_name='attemptquestion',
            constraint=models.CheckConstraint(condition=models.Q(('grade_overridden', False), models.Q(('grade_override_reason', ''), _negated=True), _connector='OR'), name='answer_level_override_has_reason'),
        ),
        migrations.AddConstraint(
            model_name='submission',
            constraint=models.CheckConstraint(condition=models.Q(('grade_overridden', False), models.Q(('grade_override_reason', ''), _negated=True), _connector='OR'), name='submission_level_override_has_reason'),
        ),
    ]
