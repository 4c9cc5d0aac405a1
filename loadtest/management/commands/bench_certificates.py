"""Measure bulk certificate issue against one-by-one rendering, in one run.

    python manage.py bench_certificates --count 500

It also times the simple batch path on the same certificates: WeasyPrint lays out a
chunk of them as one document (`rendering.render_batch`, what the stamping falls back
to), rendering only, without storing the files.

Everything happens in a transaction that is rolled back and scratch file folders that
are deleted, so the database and the stored files are left as they were.
"""

import datetime
import random
import shutil
import tempfile
import time
from decimal import Decimal

from django.core.management.base import BaseCommand
from django.db import transaction
from django.test.utils import override_settings

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡"
    "余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯"
    "龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂华玉萍红娥玲芬燕彩春菊凤洁梅琳素云莲真环"
    "雪荣爱妹香月莺媛瑞凡佳嘉琼勤珍贞莉娣璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓仪荷丹"
    "蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄"
    "枫芸菲寒伊亚宜可舒影荔枝思振国建志文利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博"
    "诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌"
)


class Command(BaseCommand):
    help = "Issue N certificates into a scratch class and compare with one-by-one rendering."

    def add_arguments(self, parser):
        parser.add_argument("--count", type=int, default=500)
        parser.add_argument(
            "--one-by-one", type=int, default=5, help="certificates rendered the plain way"
        )
        parser.add_argument("--seed", type=int, default=2025)
        parser.add_argument(
            "--no-simple-batch",
            dest="simple_batch",
            action="store_false",
            help="skip timing the simple batch path (one WeasyPrint document a chunk)",
        )

    def handle(self, *args, count, one_by_one, seed, simple_batch, **options):
        media = tempfile.mkdtemp(prefix="bench-certificates-")
        try:
            with override_settings(MEDIA_ROOT=media, PRIVATE_MEDIA_ROOT=media):
                line = self._run(
                    count=count, one_by_one=one_by_one, seed=seed, simple_batch=simple_batch
                )
        finally:
            shutil.rmtree(media, ignore_errors=True)
        self.stdout.write(line)

    def _run(self, *, count: int, one_by_one: int, seed: int, simple_batch: bool) -> str:
        from certificates import rendering
        from certificates.models import Certificate, IssueBatch
        from certificates.services import batch_run, certificate_template_default
        from certificates.services.issue import RENDER_CHUNK
        from people.models import OrgUnit, User
        from training.models import Enrolment, TrainingClass

        rng = random.Random(seed)

        class Rollback(Exception):
            pass

        result = {}
        try:
            with transaction.atomic():
                unit = OrgUnit.get_first_root_node() or OrgUnit.add_root(
                    name="基准测试", level=OrgUnit.Level.PROVINCE, code="BENCH0"
                )
                template = certificate_template_default()
                klass = TrainingClass.objects.create(
                    name="信阳市乡镇（街道）党（工）委书记能力提升培训班（基准测试）",
                    code=f"bench-{int(time.time())}",
                    organising_unit=unit,
                    provider="大别山干部学院",
                    start_date=datetime.date(2025, 6, 1),
                    end_date=datetime.date(2025, 6, 7),
                    credit_hours=Decimal("42.0"),
                    status=TrainingClass.Status.CLOSED,
                )
                stamp = int(time.time())
                users = User.objects.bulk_create(
                    User(
                        username=f"bench-{stamp}-{i}",
                        full_name=rng.choice(SURNAMES)
                        + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))),
                    )
                    for i in range(count)
                )
                Enrolment.objects.bulk_create(
                    Enrolment(training_class=klass, trainee=u, status=Enrolment.Status.COMPLETED)
                    for u in users
                )
                # Warm up: fonts found, seal drawn, templates compiled, for both methods alike.
                warm = Certificate(
                    template=template,
                    number="WARM-UP",
                    verification_code="warm-up",
                    snapshot={"name": "预热", "title": template.title, "body": template.body},
                )
                rendering.render_one(warm)
                rendering.render_many([warm, warm])

                batch = IssueBatch.objects.create(training_class=klass)
                started, cpu = time.perf_counter(), time.process_time()
                batch = batch_run(batch_id=batch.pk)
                bulk_seconds = time.perf_counter() - started
                cpu_seconds = {"bulk": time.process_time() - cpu}
                if batch.done != count:
                    raise RuntimeError(f"{batch.done} of {count} issued, {batch.failed} failed")

                stamped = sum(
                    _is_stamped(c) for c in Certificate.objects.filter(training_class=klass)
                )
                sample = list(
                    Certificate.objects.filter(training_class=klass).order_by("?")[:one_by_one]
                )
                started, cpu = time.perf_counter(), time.process_time()
                for certificate in sample:
                    pdf = rendering.render_one(certificate)
                    certificate.pdf.save(f"{certificate.number}-single.pdf", _content(pdf))
                single_each = (time.perf_counter() - started) / len(sample)
                cpu_seconds["single"] = (time.process_time() - cpu) / len(sample)
                sizes = [c.pdf.size for c in sample]
                batch_seconds = None
                if simple_batch:
                    issued = list(
                        Certificate.objects.filter(training_class=klass)
                        .select_related("template")
                        .order_by("pk")
                    )
                    started, cpu = time.perf_counter(), time.process_time()
                    for start in range(0, len(issued), RENDER_CHUNK):
                        rendering.render_batch(issued[start : start + RENDER_CHUNK])
                    batch_seconds = time.perf_counter() - started
                    cpu_seconds["batch"] = time.process_time() - cpu
                result = {
                    "cpu": cpu_seconds,
                    "batch": batch_seconds,
                    "stamped": stamped,
                    "bulk": bulk_seconds,
                    "single": single_each,
                    "size": sum(sizes) / len(sizes),
                }
                raise Rollback
        except Rollback:
            pass
        each = result["bulk"] / count
        cpu = result["cpu"]
        if result["batch"] is not None:
            batch_each = result["batch"] / count
            self.stdout.write(
                f"simple batch (one WeasyPrint document a chunk of {RENDER_CHUNK}, rendering "
                f"only): {count} in {result['batch']:.1f} s, {batch_each:.3f} s each; "
                f"speed-up {result['single'] / batch_each:.1f} x"
            )
        self.stderr.write(
            f"(bulk: {result['stamped']} of {count} stamped onto a shared layout, the rest "
            f"laid out by WeasyPrint; one-by-one sample of {one_by_one}; "
            f"mean single PDF {result['size'] / 1024:.0f} KiB)"
        )
        batch_cpu = f", simple batch {cpu['batch']:.1f} s" if "batch" in cpu else ""
        self.stderr.write(
            f"(CPU time of this process, which a busy machine inflates less than the wall "
            f"clock: bulk {cpu['bulk']:.1f} s, one-by-one {cpu['single']:.3f} s each{batch_cpu})"
        )
        return (
            f"certificates: {count} in {result['bulk']:.1f} s, {each:.3f} s each; "
            f"one-by-one {result['single']:.3f} s each; "
            f"speed-up {result['single'] / each:.1f} x"
        )


def _content(data: bytes):
    from django.core.files.base import ContentFile

    return ContentFile(data)


def _is_stamped(certificate) -> bool:
    with certificate.pdf.open("rb") as f:
        return b"/Subtype /Type3" in f.read()
