"""Time the report pages and the large export on the generated data set.

    python manage.py generate_load_data --persons 50000
    python manage.py bench_reports [--runs 7] [--overview-only]

Pages are fetched through Django's test client (URL routing, admin middleware, the view
and its template), as a province-level organiser: the largest scope there is. The
overview is timed twice: as the page serves it (from its one-minute cache after the first
run) and counted afresh on every run (the cache off), which is what an organiser opening
it after a change waits for. The last line:
`reports: overview p50 X ms (Q queries), overview fresh p50 F ms (CPU C ms, P queries),
coverage p50 Y ms (R queries), class p50 Z ms, export 50000 rows in T s, peak memory M MB`.
The CPU of a page is this process's and its PostgreSQL backend's (read from /proc when
the server runs on this machine): on a shared machine, the figure other load moves least.
"""

import gc
import os
import resource
import statistics
import time
import tracemalloc

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.models import Count
from django.test import Client
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from people.models import OrgUnit, User
from people.roles import Role
from training.models import TrainingClass

BENCH_USER = "load_bench_organiser"


class Command(BaseCommand):
    help = "Measure the report pages and the 50,000-row export on the load data set."

    def add_arguments(self, parser):
        parser.add_argument("--runs", type=int, default=7)
        parser.add_argument(
            "--overview-only",
            action="store_true",
            help="time the overview (cached and afresh) and stop",
        )

    def handle(self, *args, runs, overview_only, **opts):
        province = OrgUnit.objects.filter(code__startswith="L", depth=1).first()
        if province is None:
            raise CommandError("No load data: run `manage.py generate_load_data` first.")
        if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
            settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
        organiser = self.organiser(province)
        client = Client()
        client.force_login(organiser)
        self.stdout.write(
            f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}; "
            f"database: {connection.vendor}; people in scope: "
            f"{User.objects.filter(org_unit__path__startswith=province.path).count()}"
        )

        overview = self.page(client, reverse("reports_admin:overview"), runs)
        with override_settings(REPORTS_OVERVIEW_CACHE_SECONDS=0):
            fresh = self.page(client, reverse("reports_admin:overview"), runs)
        if overview_only:
            self.stdout.write(
                f"overview: p50 {overview[0]:.0f} ms (fastest {overview[2]:.0f} ms, "
                f"CPU {overview[3]:.0f} ms, {overview[1]} queries), fresh p50 {fresh[0]:.0f} ms "
                f"(fastest {fresh[2]:.0f} ms, CPU {fresh[3]:.0f} ms, {fresh[1]} queries)"
            )
            return
        coverage = self.page(client, reverse("reports_admin:coverage"), runs)
        city = province.get_children().order_by("path").first()
        county = city.get_children().order_by("path").first()
        drill = self.page(client, reverse("reports_admin:coverage") + f"?unit={county.pk}", runs)
        missing = self.page(client, reverse("reports_admin:missing") + "?list=village", runs)
        # The largest closed class (its attendance is complete), else the largest at all.
        klass = (
            TrainingClass.objects.filter(code__startswith="load-")
            .annotate(n=Count("enrolments"))
            .order_by("-n", "pk")
            .filter(status="closed")
            .first()
        ) or TrainingClass.objects.filter(code__startswith="load-").annotate(
            n=Count("enrolments")
        ).order_by("-n", "pk").first()
        class_page = self.page(client, reverse("reports_admin:class", args=[klass.pk]), runs)
        for name, (p50, q, fastest, cpu) in [
            ("overview (province), cached a minute", overview),
            ("overview (province), counted afresh", fresh),
            ("coverage (province)", coverage),
            ("coverage (county drill-down)", drill),
            ("missing list, first page", missing),
            (f"class report ({klass.n} trainees)", class_page),
        ]:
            # The fastest run and the CPU (this process and its PostgreSQL backend) show
            # what the page costs when the machine is not busy.
            self.stdout.write(
                f"  {name}: p50 {p50:.0f} ms (fastest {fastest:.0f} ms, CPU {cpu:.0f} ms), "
                f"{q} queries"
            )

        url = reverse("reports_admin:missing") + "?list=all&export=xlsx"
        small_rows, small_s, small_peak = self.export(client, f"{url}&unit={city.pk}")
        rows, seconds, peak = self.export(client, url)
        csv_rows, csv_s, csv_peak = self.export(client, url.replace("xlsx", "csv"))
        rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        self.stdout.write(
            f"  export xlsx {small_rows} rows: {small_s:.1f} s, "
            f"peak {small_peak:.1f} MB (tracemalloc)"
        )
        self.stdout.write(
            f"  export xlsx {rows} rows: {seconds:.1f} s, peak {peak:.1f} MB (tracemalloc)"
        )
        self.stdout.write(
            f"  export csv {csv_rows} rows: {csv_s:.1f} s, peak {csv_peak:.1f} MB (tracemalloc)"
        )
        self.stdout.write(f"  process peak RSS {rss:.0f} MB")
        self.stdout.write(
            f"reports: overview p50 {overview[0]:.0f} ms ({overview[1]} queries), "
            f"overview fresh p50 {fresh[0]:.0f} ms (CPU {fresh[3]:.0f} ms, {fresh[1]} queries), "
            f"coverage p50 {coverage[0]:.0f} ms ({coverage[1]} queries), "
            f"class p50 {class_page[0]:.0f} ms, export {rows} rows in {seconds:.1f} s, "
            f"peak memory {peak:.1f} MB"
        )

    def organiser(self, province):
        user, _ = User.objects.get_or_create(
            username=BENCH_USER, defaults={"full_name": "压测组织员", "password": "!"}
        )
        group = Group.objects.filter(name=str(Role.ORGANISER)).first()
        if group is not None:
            user.groups.add(group)
        user.managed_units.set([province])
        return user

    def page(self, client, url, runs):
        """(p50 ms, queries, fastest ms, CPU p50 ms: this process + its PostgreSQL backend,
        or this process alone when the backend's CPU cannot be read)."""
        client.get(url)  # warm caches: templates, translations, the session
        times, cpus, queries = [], [], 0
        for _ in range(runs):
            with CaptureQueriesContext(connection) as ctx:
                backend = self.backend_cpu()
                cpu = time.process_time()
                start = time.perf_counter()
                response = client.get(url)
                elapsed = (time.perf_counter() - start) * 1000
                cpu = (time.process_time() - cpu) * 1000 + self.backend_cpu() - backend
            if response.status_code != 200:
                raise CommandError(f"{url} answered {response.status_code}")
            times.append(elapsed)
            cpus.append(cpu)
            queries = len(ctx.captured_queries)
        return statistics.median(times), queries, min(times), statistics.median(cpus)

    def backend_cpu(self) -> float:
        """Milliseconds of CPU the PostgreSQL backend of this connection has used, from
        /proc (a server on this machine); 0 elsewhere. With the process's own CPU it is
        what a page costs whatever else the machine runs: on an idle machine, about its
        wall time (the data is in memory)."""
        if connection.vendor != "postgresql":
            return 0.0
        if not hasattr(self, "_backend_pid"):
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                self._backend_pid = cursor.fetchone()[0]
        try:
            with open(f"/proc/{self._backend_pid}/schedstat") as f:
                return int(f.read().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return 0.0

    def export(self, client, url):
        """Seconds for the whole response untraced, then the peak of Python allocations
        in a second, traced run (tracemalloc slows allocation-heavy code several times
        over, so it must not be on while timing)."""
        gc.collect()
        start = time.perf_counter()
        response = client.get(url)
        if response.status_code != 200:
            raise CommandError(f"{url} answered {response.status_code}")
        content = bytearray()
        for chunk in response.streaming_content:
            content += chunk
        seconds = time.perf_counter() - start
        if url.endswith("csv") or "export=csv" in url:
            rows = content.count(b"\n") - 1
        else:
            from io import BytesIO

            from openpyxl import load_workbook

            sheet = load_workbook(BytesIO(bytes(content)), read_only=True).worksheets[0]
            rows = sum(1 for _ in sheet.iter_rows(values_only=True)) - 1
        del content
        gc.collect()
        tracemalloc.start()
        for _chunk in client.get(url).streaming_content:
            pass
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        return rows, seconds, peak / 1024 / 1024
